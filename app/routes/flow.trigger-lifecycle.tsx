// Shopify Flow's trigger lifecycle callback: verify Flow's signature, record whether the shop has an enabled workflow using the trigger, answer.
import type { ActionFunctionArgs } from "@remix-run/node";
import db from "../db.server";
import { receiveFlowTriggerLifecycle } from "../webhooks/flow-lifecycle.server";

export const action = ({ request }: ActionFunctionArgs) => receiveFlowTriggerLifecycle(request, db);
