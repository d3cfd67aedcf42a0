// Receives draft_orders/update: verified, stored in the inbox and acknowledged; the worker reads whether an extra charge's draft was paid.
import { intakeAction } from "../webhooks/intake.server";

export const action = intakeAction;
