# Sourced by .ci/run: installs PostgreSQL's server binaries from Debian's packages when they are
# missing. Nothing else: the tests start (and stop) their own throwaway cluster.
if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then _pg_sudo=""; else _pg_sudo="sudo"; fi
  echo "Installing PostgreSQL from Debian's packages…"
  # No "main" cluster: the package would otherwise create and start one nobody uses. A snippet in
  # createcluster.d, not the package's own createcluster.conf, which dpkg would ask about.
  $_pg_sudo mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" |
    $_pg_sudo tee /etc/postgresql-common/createcluster.d/ci-no-main-cluster.conf >/dev/null
  $_pg_sudo apt-get update -qq >/dev/null &&
    DEBIAN_FRONTEND=noninteractive $_pg_sudo apt-get install -y -qq postgresql >/dev/null ||
    { echo "Installing PostgreSQL failed (apt-get install -y postgresql)." >&2; false; }
  unset _pg_sudo
fi
