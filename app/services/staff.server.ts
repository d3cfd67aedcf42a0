// Who acted, as the decision log and bulk jobs name them.
/**
 * Who acted, for the decision log and bulk jobs: the staff member's name when the session is an
 * online one, else the user id from the session token, else nobody known.
 */
export function staffName(
  session: {
    onlineAccessInfo?: {
      associated_user?: { first_name?: string; last_name?: string; email?: string };
    };
  },
  sessionToken?: { sub?: string } | null,
): string | null {
  const user = session.onlineAccessInfo?.associated_user;
  const name = [user?.first_name, user?.last_name].filter(Boolean).join(" ");
  if (name) return name;
  if (user?.email) return user.email;
  return sessionToken?.sub ? `staff ${sessionToken.sub}` : null;
}
