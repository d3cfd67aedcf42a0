// Types the catalogue's keys: t("a.key.that.does.not.exist") fails the typecheck.
import type en from "./locales/en.json";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof en };
  }
}
