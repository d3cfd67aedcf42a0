// Shopify Flow's "Route order again" action: verify Flow's signature, store the job, answer at once.
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveFlowAction } from "../services/flow-action-endpoint.server";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveFlowAction(request, "route-order-again");
