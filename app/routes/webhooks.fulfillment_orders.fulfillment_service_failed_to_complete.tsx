// Receives fulfillment_orders/fulfillment_service_failed_to_complete: verified, stored in the inbox and acknowledged; the worker acts on it.
import { intakeAction } from "../webhooks/intake.server";

export const action = intakeAction;
