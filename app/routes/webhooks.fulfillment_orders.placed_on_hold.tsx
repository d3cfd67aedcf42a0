// Receives fulfillment_orders/placed_on_hold: verified, stored in the inbox and acknowledged; the worker acts on it.
import { intakeAction } from "../webhooks/intake.server";

export const action = intakeAction;
