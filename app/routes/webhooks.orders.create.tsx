// Receives orders/create: verified, stored in the inbox and acknowledged; the worker acts on it.
import { intakeAction } from "../webhooks/intake.server";

export const action = intakeAction;
