// The demo's stand-in for Shopify admin around the app's UI extensions: a page per target that
// runs the extension's offline bundle against the running app and shop simulator, so the order
// block and the order index action can be seen and used without a real admin.
//   /orders/<number>            the order details block for that order
//   /orders?selected=<n>,<n>    the order index action with those orders selected
//   ?locale=de                  the extension's German strings
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { build } from "esbuild";
import { EXTENSIONS_DIR, uiExtensions, type UiExtension } from "./extensions-build";

const TARGETS = {
  block: "admin.order-details.block.render",
  action: "admin.order-index.selection-action.render",
} as const;

/** Just enough look for Polaris web components outside admin (admin renders them itself). */
const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 640px; color: #303030; background: #f1f1f1; }
s-admin-block, s-admin-action { display: block; background: #fff; border-radius: 12px; padding: 16px; box-shadow: 0 1px 2px #0002; }
s-admin-block::before, s-admin-action::before { content: attr(heading); display: block; font-weight: 650; margin-bottom: 12px; }
s-stack { display: flex; flex-direction: column; gap: 8px; margin-bottom: 8px; }
s-stack[direction="inline"] { flex-direction: row; flex-wrap: wrap; }
s-heading { display: block; font-weight: 650; }
s-text, s-paragraph { display: block; }
s-text[type="strong"] { font-weight: 650; }
s-banner { display: block; padding: 8px 12px; border-radius: 8px; background: #eaf4ff; }
s-banner::before { content: attr(heading); display: block; font-weight: 650; }
s-banner[tone="warning"] { background: #fff1c2; }
s-banner[tone="critical"] { background: #fee8eb; }
s-banner[tone="success"] { background: #cdfee1; }
s-button { display: inline-block; padding: 6px 12px; border-radius: 8px; border: 1px solid #bbb; background: #fff; cursor: pointer; margin-right: 8px; }
s-button[variant="primary"] { background: #303030; color: #fff; border-color: #303030; }
s-button[disabled], s-button[loading] { opacity: .5; pointer-events: none; }
s-link { color: #005bd3; text-decoration: underline; cursor: pointer; }
s-progress { display: block; height: 6px; background: #e3e3e3; border-radius: 3px; }
html[data-closed] body::after { content: "Closed (admin would close this modal)."; display: block; margin-top: 12px; }
`;

export interface PreviewOptions {
  appUrl: string;
  simulatorUrl: string;
  shop: string;
  /** 0: any free port. */
  port?: number;
  host?: string;
}

export interface PreviewServer {
  url: string;
  stop(): Promise<void>;
}

/** The extension's bundle with the preview's host around it, built once per server. */
async function bundleForPreview(extension: UiExtension): Promise<string> {
  const locales = join(extension.dir, "locales");
  const result = await build({
    stdin: {
      contents: [
        `import { mountPreview } from ${JSON.stringify(join(EXTENSIONS_DIR, "dev-host/preview.ts"))};`,
        `import render from ${JSON.stringify(extension.module)};`,
        `import en from ${JSON.stringify(join(locales, "en.default.json"))};`,
        `import de from ${JSON.stringify(join(locales, "de.json"))};`,
        `mountPreview(render, { en, de });`,
      ].join("\n"),
      resolveDir: extension.dir,
      loader: "ts",
    },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2020",
    jsx: "automatic",
    jsxImportSource: "preact",
    logLevel: "silent",
  });
  return result.outputFiles[0]!.text;
}

const escapeJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

function page(title: string, script: string, config: Record<string, unknown>): string {
  return `<!doctype html>
<html lang="${config.locale === "de" ? "de" : "en"}"><head><meta charset="utf-8">
<title>${title}</title><style>${STYLE}</style>
<script type="application/json" id="preview-config">${escapeJson(config)}</script>
<script type="module" src="${script}"></script>
</head><body></body></html>`;
}

export async function startExtensionsPreview(options: PreviewOptions): Promise<PreviewServer> {
  const bundles = new Map<string, Promise<string>>();
  const bundleOf = (extension: UiExtension) => {
    if (!bundles.has(extension.handle)) bundles.set(extension.handle, bundleForPreview(extension));
    return bundles.get(extension.handle)!;
  };
  const byTarget = (target: string) => uiExtensions().find((e) => e.target === target);

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://preview");
    const locale = url.searchParams.get("locale") === "de" ? "de" : "en";
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, {
        "Content-Type": `${type}; charset=utf-8`,
        "Cache-Control": "no-store",
      });
      res.end(body);
    };
    const common = {
      locale,
      appUrl: options.appUrl,
      simulatorUrl: options.simulatorUrl,
      shop: options.shop,
    };
    const script = /^\/bundle\/([\w-]+)\.js$/.exec(url.pathname);
    if (script) {
      const extension = uiExtensions().find((e) => e.handle === script[1]);
      if (!extension) return send(404, "text/plain", "No such extension");
      bundleOf(extension).then(
        (code) => send(200, "text/javascript", code),
        (error: unknown) => send(500, "text/plain", String(error)),
      );
      return;
    }
    const order = /^\/orders\/(\d+)$/.exec(url.pathname);
    if (order) {
      const extension = byTarget(TARGETS.block);
      if (!extension) return send(404, "text/plain", "No order details block");
      return send(
        200,
        "text/html",
        page(`Order ${order[1]} · block preview`, `/bundle/${extension.handle}.js`, {
          ...common,
          target: extension.target,
          selected: [`gid://shopify/Order/${order[1]}`],
        }),
      );
    }
    if (url.pathname === "/orders") {
      const extension = byTarget(TARGETS.action);
      if (!extension) return send(404, "text/plain", "No order index action");
      const selected = (url.searchParams.get("selected") ?? "")
        .split(",")
        .filter((n) => /^\d+$/.test(n))
        .map((n) => `gid://shopify/Order/${n}`);
      return send(
        200,
        "text/html",
        page("Orders · action preview", `/bundle/${extension.handle}.js`, {
          ...common,
          target: extension.target,
          selected,
        }),
      );
    }
    send(
      404,
      "text/plain",
      "Open /orders/<order number> for the order block, /orders?selected=<n>,<n> for the order index action.",
    );
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://${host}:${port}`,
    // A browser keeps idle keep-alive connections open: close them, or close() waits for them.
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
