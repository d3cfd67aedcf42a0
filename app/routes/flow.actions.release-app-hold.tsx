// Shopify Flow's "Release the app's hold" action: verify Flow's signature, store the job, answer at once.
import type { ActionFunctionArgs } from "@remix-run/node";
import { jobQueue } from "../process-queue.server";
import { receiveFlowAction } from "../webhooks/flow-action.server";

export const action = ({ request }: ActionFunctionArgs) =>
  receiveFlowAction(request, "release-app-hold", jobQueue());
