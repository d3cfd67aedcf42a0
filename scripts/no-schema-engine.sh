#!/bin/sh
# Stands in for Prisma's native schema engine, which cannot be downloaded here: any Prisma CLI
# command that needs it fails loudly instead of silently doing nothing. Migrations are applied
# by scripts/migrate.ts; see docs/decisions/003-migrations-without-the-native-engine.md.
echo "Prisma's native schema engine is not available: use 'npm run db:migrate'." >&2
exit 1
