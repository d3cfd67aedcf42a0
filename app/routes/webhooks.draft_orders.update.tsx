// Receives draft_orders/update: verified, stored in the inbox and acknowledged; the worker reads whether an extra charge's draft was paid.
import type { ActionFunctionArgs } from "@remix-run/node";
import { intakeWebhook } from "../webhooks/intake.server";

export const action = ({ request }: ActionFunctionArgs) => intakeWebhook(request);
