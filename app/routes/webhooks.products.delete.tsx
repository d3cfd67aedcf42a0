// Receives products/delete: verified, stored in the inbox and acknowledged; the worker forgets what the router kept of the product.
import { intakeAction } from "../webhooks/intake.server";

export const action = intakeAction;
