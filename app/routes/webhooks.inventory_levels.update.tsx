// Receives inventory_levels/update: verified, stored in the inbox and acknowledged; the worker plans again the orders waiting for that item's stock there.
import { intakeAction } from "../webhooks/intake.server";

export const action = intakeAction;
