// Receives products/update: verified, stored in the inbox and acknowledged; the worker forgets what the router kept of the product.
import type { ActionFunctionArgs } from "@remix-run/node";
import { intakeWebhook } from "../webhooks/intake.server";

export const action = ({ request }: ActionFunctionArgs) => intakeWebhook(request);
