// Reads a posted form: a body that is not a form (wrong content type, a broken multipart, cut
// short) is the client's mistake, answered 400 with a message instead of failing as a 500.
export async function postedForm(request: Request): Promise<FormData> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type))
    throw new Response(
      "Send the form as application/x-www-form-urlencoded or multipart/form-data.",
      {
        status: 400,
      },
    );
  try {
    return await request.formData();
  } catch {
    throw new Response("The form could not be read.", { status: 400 });
  }
}
