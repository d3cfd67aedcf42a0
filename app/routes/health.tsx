// Liveness and readiness for a load balancer: answers 200 when the database answers.
import db from "../db.server";

export const loader = async () => {
  try {
    await db.$queryRawUnsafe("SELECT 1");
    return Response.json({ status: "ok" });
  } catch {
    return Response.json({ status: "database unavailable" }, { status: 503 });
  }
};
