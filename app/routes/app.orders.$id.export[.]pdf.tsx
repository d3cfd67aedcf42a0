// The order's timeline, notes and decisions as a PDF download: a resource route, fetched by the order screen.
import { orderExportLoader } from "../order-export.server";

export const loader = orderExportLoader("pdf");
