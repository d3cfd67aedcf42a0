// The order's timeline, notes and decisions as a CSV download: a resource route, fetched by the order screen.
import { orderExportLoader } from "../order-export.server";

export const loader = orderExportLoader("csv");
