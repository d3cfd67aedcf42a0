// Receives fulfillment_orders/cancellation_request_rejected: verified, stored in the inbox and acknowledged; the worker acts on it.
import { intakeAction } from "../webhooks/intake.server";

export const action = intakeAction;
