// Receives fulfillment_orders/fulfillment_service_failed_to_complete: verified, stored in the inbox and acknowledged; the worker acts on it.
import type { ActionFunctionArgs } from "@remix-run/node";
import { intakeWebhook } from "../webhooks/intake.server";

export const action = ({ request }: ActionFunctionArgs) => intakeWebhook(request);
