// Receives fulfillment_orders/cancellation_request_submitted: verified, stored in the inbox and acknowledged; the worker acts on it.
import type { ActionFunctionArgs } from "@remix-run/node";
import { intakeWebhook } from "../webhooks/intake.server";

export const action = ({ request }: ActionFunctionArgs) => intakeWebhook(request);
