// Lint rules for the app, the simulator and the tests: TypeScript's recommended set plus React hooks.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import react from "eslint-plugin-react";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import i18next from "eslint-plugin-i18next";

// Props and object keys through which Polaris and App Bridge show text to the merchant.
const TEXT_PROPS = [
  "label",
  "title",
  "content",
  "helpText",
  "placeholder",
  "heading",
  "message",
  "error",
  "emptyState",
  "accessibilityLabel",
  "ariaLabel",
  "aria-label",
  "alt",
  "labelHidden",
  "prefix",
  "suffix",
  "connectedLeft",
  "connectedRight",
  "details",
  "description",
  "directionLabel",
  "resourceName",
  "singular",
  "plural",
  "queryPlaceholder",
  "cancelAction",
  "primaryAction",
  "secondaryActions",
  "actions",
  "promotedBulkActions",
  "bulkActions",
  "options",
  "choices",
  "tabs",
  "sortOptions",
  "filters",
  "appliedFilters",
  "headings",
  "action",
  "backAction",
  "text",
  "caption",
];
const TEXT_KEYS = TEXT_PROPS.join("|");
// What reads as words: a capitalised word ("Approve", "Lab request"), or two words with a space.
const WORDS = "/^[A-Z][a-z]+( |$)|\\b[A-Za-z]{2,} [A-Za-z]{2,}\\b/";
// Calls and props that take ids, names or headers, never words for the merchant.
const NOT_TEXT_CALLS =
  "get|getAll|set|has|append|delete|includes|startsWith|endsWith|exec|test|querySelector";
const NOT_TEXT_PROPS =
  "value|defaultTheme|theme|variant|tone|as|type|id|name|className|href|url|to|method|autoComplete";

// ADR 077: screens sign in with the staff member's online session, but Shopify is called with the
// shop's offline token. `authenticate.admin` hands back an `admin` client holding the online token;
// a route takes only what it needs (session, cors, redirect, sessionToken) by name, so the client
// is never kept, passed on or used.
const AUTHENTICATE_ADMIN = `CallExpression[callee.object.name="authenticate"][callee.property.name="admin"]`;
/** A declarator's or assignment's value (`init`, `right`) that is `await authenticate.admin(…)`. */
const AWAITED = (value) =>
  `[${value}.type="AwaitExpression"][${value}.argument.callee.object.name="authenticate"][${value}.argument.callee.property.name="admin"]`;
const OFFLINE_TOKEN_ONLY =
  "ADR 077: call Shopify with the shop's offline token through gatewayForShop(session.shop) or " +
  "gatewayForJobs (app/gateways.server.ts), never with the admin client authenticate.admin returns " +
  "(the staff member's online token). Destructure only session, cors, redirect or sessionToken.";
const ADMIN_CLIENT_TAKEN = [
  {
    // `const { admin } = await authenticate.admin(request)`, renamed or taken with `...rest`.
    selector: `VariableDeclarator${AWAITED("init")} > ObjectPattern > :matches(Property[key.name="admin"], RestElement)`,
    message: OFFLINE_TOKEN_ONLY,
  },
  {
    selector: `AssignmentExpression${AWAITED("right")} > ObjectPattern > :matches(Property[key.name="admin"], RestElement)`,
    message: OFFLINE_TOKEN_ONLY,
  },
  {
    // The whole context kept in a variable (`const auth = await authenticate.admin(request)`),
    // read from (`(await authenticate.admin(request)).admin`), returned or handed on.
    selector: `AwaitExpression:not(ExpressionStatement > AwaitExpression, VariableDeclarator[id.type="ObjectPattern"] > AwaitExpression, AssignmentExpression[left.type="ObjectPattern"] > AwaitExpression) > ${AUTHENTICATE_ADMIN}`,
    message: OFFLINE_TOKEN_ONLY,
  },
  {
    // Its promise used as it is: `.then(({ admin }) => …)`, `return authenticate.admin(request)`.
    selector: `${AUTHENTICATE_ADMIN}:not(AwaitExpression > ${AUTHENTICATE_ADMIN})`,
    message: OFFLINE_TOKEN_ONLY,
  },
];
const BY_ITS_OWN_NAME =
  "ADR 077: call Shopify with the shop's offline token through gatewayForShop(session.shop) or " +
  "gatewayForJobs (app/gateways.server.ts). Import authenticate from shopify.server under its own " +
  "name and call authenticate.admin(request) on it, so this check sees what is taken from it.";
/**
 * The checks above know authenticate.admin by its name: `authenticate` is used only as the object
 * of a member (`authenticate.admin(…)`, `authenticate.public…`), a type, or an object literal's key
 * (a test's mock). Not imported under another name, kept or handed on, destructured, nor reached as
 * a property (`shopify.authenticate`, a namespace import's), and `authenticate.admin` only called.
 * app/shopify.server.ts, which makes `authenticate`, is left out below.
 */
const AUTHENTICATE_BY_NAME = [
  {
    selector:
      'Identifier[name="authenticate"]:not(MemberExpression > Identifier.object, ' +
      "TSQualifiedName > Identifier.left, ObjectExpression > Property > Identifier.key, " +
      'ImportSpecifier[local.name="authenticate"] > Identifier)',
    message: BY_ITS_OWN_NAME,
  },
  {
    selector: 'MemberExpression[computed=true][property.value="authenticate"]',
    message: BY_ITS_OWN_NAME,
  },
  {
    selector:
      'MemberExpression[object.name="authenticate"][property.name="admin"]' +
      ":not(CallExpression > MemberExpression.callee)",
    message: BY_ITS_OWN_NAME,
  },
];
const TOKEN_IN_GATEWAYS =
  "ADR 077: call Shopify with the shop's offline token through gatewayForShop(session.shop) or " +
  "gatewayForJobs (app/gateways.server.ts), which alone read a session's accessToken: a screen's " +
  "session holds the staff member's online token.";
/**
 * A session's accessToken, read (`session.accessToken`, `session["accessToken"]`) or destructured
 * (`{ session: { accessToken } }`), whichever binding holds the session: only the gateway modules
 * read one (the shop's offline session's), and they are left out below.
 */
const TOKEN_READ = [
  {
    selector:
      'MemberExpression:matches([computed=false][property.name="accessToken"], [property.value="accessToken"])',
    message: TOKEN_IN_GATEWAYS,
  },
  {
    selector: 'ObjectPattern > Property[key.name="accessToken"]',
    message: TOKEN_IN_GATEWAYS,
  },
];
const WHOLE_SESSION_OUT =
  "ADR 077: call Shopify with the shop's offline token through gatewayForShop(session.shop) " +
  "or gatewayForJobs (app/gateways.server.ts). A session holds its access token (a screen's, the " +
  "staff member's online token): read the field you need (session.shop), never hand the session out " +
  "whole (serialized, spread, logged, returned, copied, kept under another name, looped over). " +
  "A function that needs it whole is listed in eslint.config.js (SESSION_TAKERS; ADR 090).";
/** Functions that take a session whole and read only what they name (staffName: the user's name). */
const SESSION_TAKERS = ["staffName"];
/**
 * A session, by the name `session` (authenticate.admin's, which the selectors above make a route
 * take by that name, and any other): used only by a field (`session.shop`,
 * `const { shop } = session`), bound, tested with `!`, named in a type or key, or handed to
 * SESSION_TAKERS. Everything else hands the token out with it:
 * `JSON.stringify(session)`, `json(session)`, `console.log(session)`, `{ ...session }`,
 * `return { session }`, `const s = session`, `for (k in session)`, `session.toObject()`. Taking it
 * under another name (`{ session: s }`) or with `...rest` of it is refused, and so is the library's
 * session store (`sessionStorage`), whose sessions would come under any name.
 */
const SESSION_WHOLE = [
  {
    selector:
      'Identifier[name="session"]:not(MemberExpression:matches([computed=false], [property.type="Literal"]) > Identifier.object, ' +
      "MemberExpression[computed=false] > Identifier.property, Property > Identifier.key, " +
      "ObjectPattern > Property > Identifier.value, VariableDeclarator > Identifier.id, " +
      'VariableDeclarator[id.type="ObjectPattern"] > Identifier.init, ' +
      ":function > Identifier.params, TSPropertySignature > Identifier.key, " +
      'TSTypeQuery > Identifier.exprName, UnaryExpression[operator="!"] > Identifier.argument, ' +
      `CallExpression[callee.name=/^(${SESSION_TAKERS.join("|")})$/] > Identifier.arguments)`,
    message: WHOLE_SESSION_OUT,
  },
  {
    selector:
      'MemberExpression[object.name="session"][property.name=/^(toObject|toPropertyArray|toJSON)$/]',
    message: WHOLE_SESSION_OUT,
  },
  {
    // `{ session: s }`; `{ session: { shop } }` takes a field and passes.
    selector:
      'ObjectPattern > Property[key.name="session"]:not([value.type="Identifier"][value.name="session"], [value.type="ObjectPattern"])',
    message: WHOLE_SESSION_OUT,
  },
  {
    // `const { session: { shop, ...rest } } = …`, `const { shop, ...rest } = session`.
    selector:
      ':matches(ObjectPattern > Property[key.name="session"], VariableDeclarator[init.name="session"]) > ObjectPattern > RestElement',
    message: WHOLE_SESSION_OUT,
  },
];
/** The library's session store, made in app/shopify.server.ts (left out below): no module reads it. */
const SESSION_STORE = [
  {
    selector:
      ':matches(ImportSpecifier[imported.name="sessionStorage"], ' +
      'MemberExpression[property.name="sessionStorage"]:not([object.name="window"]), ' +
      'ObjectPattern > Property[key.name="sessionStorage"])',
    message: WHOLE_SESSION_OUT,
  },
];
const AFTER_AUTH_ADMIN =
  "ADR 077: call Shopify with the shop's offline token through gatewayForShop(session.shop) " +
  "or gatewayForJobs (app/gateways.server.ts), never with the admin client afterAuth is given (the " +
  "staff member's online token on sign-in). Write afterAuth in place and destructure only session (ADR 090).";
/**
 * shopifyApp's afterAuth hook is given `{ session, admin }`, the admin client holding the online
 * token of the staff member signing in: written in place, it takes session by name (or fields of
 * it), never admin, `...rest` or the whole context, and is not a function from elsewhere, where
 * these selectors could not see what it takes.
 */
const AFTER_AUTH = [
  {
    selector:
      'Property[key.name="afterAuth"] > :function > ObjectPattern.params > :matches(Property[key.name="admin"], RestElement)',
    message: AFTER_AUTH_ADMIN,
  },
  {
    selector:
      'Property[key.name="afterAuth"] > :function > :matches(Identifier, AssignmentPattern).params',
    message: AFTER_AUTH_ADMIN,
  },
  {
    selector:
      'Property[key.name="afterAuth"]:not([value.type=/^(ArrowFunctionExpression|FunctionExpression)$/])',
    message: AFTER_AUTH_ADMIN,
  },
];
const OFFLINE_CLIENT_OUTSIDE_GATEWAYS =
  "ADR 090: call Shopify through gatewayForShop(shop) or gatewayForJobs (app/gateways.server.ts), " +
  "which hold the shop's Admin API budgets and ShopBucket; never with the admin client " +
  "authenticate.webhook, authenticate.public.appProxy or unauthenticated.admin returns (the shop's " +
  "offline token around them). Destructure only what you need besides admin.";
/**
 * Attributes naming a call of authenticate.webhook, authenticate.public.appProxy or
 * unauthenticated.admin, at the path `at` (`init.argument.`, or "" for the call itself): each
 * hands back an `admin` client with the shop's offline token, which only the gateways (left out
 * below) may reach.
 */
const OFFLINE_CALLS = [
  (at) => `[${at}callee.object.name="authenticate"][${at}callee.property.name="webhook"]`,
  (at) =>
    `[${at}callee.object.object.name="authenticate"][${at}callee.object.property.name="public"][${at}callee.property.name="appProxy"]`,
  (at) => `[${at}callee.object.name="unauthenticated"][${at}callee.property.name="admin"]`,
];
/**
 * Their `admin` taken (by name, renamed, with `...rest`), the whole context kept, read from,
 * returned or handed on, or their promise used as it is: the selectors of ADMIN_CLIENT_TAKEN, for
 * each of these calls.
 */
const OFFLINE_CLIENT_TAKEN = [
  ...OFFLINE_CALLS.flatMap((call) => [
    {
      selector: `VariableDeclarator[init.type="AwaitExpression"]${call("init.argument.")} > ObjectPattern > :matches(Property[key.name="admin"], RestElement)`,
      message: OFFLINE_CLIENT_OUTSIDE_GATEWAYS,
    },
    {
      selector: `AssignmentExpression[right.type="AwaitExpression"]${call("right.argument.")} > ObjectPattern > :matches(Property[key.name="admin"], RestElement)`,
      message: OFFLINE_CLIENT_OUTSIDE_GATEWAYS,
    },
  ]),
  ...OFFLINE_CALLS.map((call) => `CallExpression${call("")}`).flatMap((node) => [
    {
      selector: `AwaitExpression:not(ExpressionStatement > AwaitExpression, VariableDeclarator[id.type="ObjectPattern"] > AwaitExpression, AssignmentExpression[left.type="ObjectPattern"] > AwaitExpression) > ${node}`,
      message: OFFLINE_CLIENT_OUTSIDE_GATEWAYS,
    },
    {
      selector: `${node}:not(AwaitExpression > ${node})`,
      message: OFFLINE_CLIENT_OUTSIDE_GATEWAYS,
    },
  ]),
  {
    // `unauthenticated` by its own name only, as `authenticate` above: not imported under another
    // name, kept, handed on or reached as a property (`shopify.unauthenticated`), and these
    // functions only called (`const receive = authenticate.webhook` would hide what is taken).
    selector:
      'Identifier[name="unauthenticated"]:not(MemberExpression > Identifier.object, ' +
      "TSQualifiedName > Identifier.left, ObjectExpression > Property > Identifier.key, " +
      'ImportSpecifier[local.name="unauthenticated"] > Identifier)',
    message: OFFLINE_CLIENT_OUTSIDE_GATEWAYS,
  },
  {
    selector:
      ':matches(MemberExpression[object.name="authenticate"][property.name="webhook"], ' +
      'MemberExpression[object.name="unauthenticated"][property.name="admin"], ' +
      'MemberExpression[object.object.name="authenticate"][object.property.name="public"][property.name="appProxy"])' +
      ":not(CallExpression > MemberExpression.callee)",
    message: OFFLINE_CLIENT_OUTSIDE_GATEWAYS,
  },
];
const SESSION_ROW_WHOLE =
  "ADR 090: a Session row holds its access token (the shop's offline token, or a staff member's " +
  "online one). Read it with a select of the fields you need (select: { shop: true }); the gateways " +
  "(gatewayForShop, gatewayForJobs) are what reach the token.";
/**
 * Prisma's Session table read whole: a query that answers rows (a find, or a create, update,
 * upsert or delete, which answer the row written) without a `select` written in its argument, and
 * the table's delegate kept or handed on (`const table = db.session`), where what is read from it
 * cannot be seen. deleteMany, updateMany and count answer numbers, and pass.
 */
const SESSION_ROWS = [
  {
    selector:
      'CallExpression[callee.type="MemberExpression"][callee.object.type="MemberExpression"][callee.object.property.name="session"]' +
      "[callee.property.name=/^(findMany|findFirst|findFirstOrThrow|findUnique|findUniqueOrThrow|create|createManyAndReturn|update|updateManyAndReturn|upsert|delete)$/]" +
      // Nested :has, as esquery does not follow `> A > B` inside one.
      ':not(:has(> ObjectExpression:has(> Property[key.name="select"])))',
    message: SESSION_ROW_WHOLE,
  },
  {
    selector:
      'MemberExpression[property.name="session"]:matches([object.name=/^(db|tx|prisma)$/], [object.property.name=/^(db|prisma)$/])' +
      ":not(MemberExpression > MemberExpression.object)",
    message: SESSION_ROW_WHOLE,
  },
];
const ONLINE_ADMIN_CLIENT = [
  ...ADMIN_CLIENT_TAKEN,
  ...AUTHENTICATE_BY_NAME,
  ...TOKEN_READ,
  ...SESSION_WHOLE,
  ...SESSION_STORE,
  ...AFTER_AUTH,
  ...OFFLINE_CLIENT_TAKEN,
  ...SESSION_ROWS,
];

export default tseslint.config(
  {
    ignores: [
      "build/**",
      "node_modules/**",
      "app/generated/**",
      "app/types/*.d.ts",
      "coverage/**",
      "tests/e2e/artifacts/**",
      "extensions/**/dist/**",
      "public/build/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: { ...globals.node, ...globals.browser },
    },
    plugins: { react, "react-hooks": reactHooks },
    settings: { react: { version: "detect" } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs["jsx-runtime"].rules,
      ...reactHooks.configs.recommended.rules,
      "react/prop-types": "off",
      // App Bridge's web components (ui-save-bar buttons…) take these attributes.
      "react/no-unknown-property": ["error", { ignore: ["variant", "tone", "loading"] }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // The routing domain stays pure: no framework, database or Shopify package.
    files: ["app/routing/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "@remix-run/*",
                "@prisma/*",
                "@shopify/*",
                "node:*",
                "graphql-request",
                "react",
              ],
              message: "app/routing is pure: no framework, I/O or Shopify imports.",
            },
            {
              group: ["../*", "!../routing/*"],
              message: "app/routing imports nothing outside itself.",
            },
          ],
        },
      ],
    },
  },
  {
    // ADR 077. The screens' block below sets no-restricted-syntax again for its files, and a later
    // block's options replace an earlier's, so it repeats these.
    files: ["app/**/*.{ts,tsx}"],
    rules: { "no-restricted-syntax": ["error", ...ONLINE_ADMIN_CLIENT] },
  },
  {
    // Where `authenticate` and `sessionStorage` are made from the configured app.
    files: ["app/shopify.server.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        ...ADMIN_CLIENT_TAKEN,
        ...TOKEN_READ,
        ...SESSION_WHOLE,
        ...AFTER_AUTH,
        ...SESSION_ROWS,
      ],
    },
  },
  {
    // The gateways: the shop's offline session's accessToken, and the gateway's own option.
    files: ["app/gateways.server.ts", "app/shopify/gateway.server.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        ...ADMIN_CLIENT_TAKEN,
        ...AUTHENTICATE_BY_NAME,
        ...SESSION_WHOLE,
        ...SESSION_STORE,
        ...AFTER_AUTH,
        ...SESSION_ROWS,
      ],
    },
  },
  {
    // Every word a merchant reads comes from the catalogue (app/i18n/locales): no literal text in
    // JSX, in the props Polaris shows, in label-like object keys, or in toasts.
    files: [
      "app/routes/app.*.tsx",
      "app/routes/app.tsx",
      "app/routes/_index/route.tsx",
      "app/components/**/*.{ts,tsx}",
    ],
    ignores: ["**/*.test.{ts,tsx}"],
    plugins: { i18next },
    rules: {
      "i18next/no-literal-string": [
        "error",
        {
          mode: "jsx-only",
          "jsx-attributes": { include: TEXT_PROPS },
          "object-properties": { include: TEXT_PROPS },
          "should-validate-template": true,
          callees: {
            exclude: [
              "i18n(ext)?",
              "t",
              "require",
              "addEventListener",
              "removeEventListener",
              "includes",
              "startsWith",
              "endsWith",
              "Date",
              "URL",
              "URLSearchParams",
              "useFetcher",
              "submit",
              "navigate",
              "set",
              "get",
              "has",
              "append",
              "delete",
              "getAll",
              "optionPath",
              // Field paths for the errors beside a field.
              "errorAt",
              "at",
            ],
          },
          message: "Merchant-facing text belongs in the catalogue (app/i18n/locales), not",
        },
      ],
      "no-restricted-syntax": [
        "error",
        ...ONLINE_ADMIN_CLIENT,
        {
          selector: `Property[key.name=/^(${TEXT_KEYS})$/] > Literal[value=/[A-Za-z]{2}/]`,
          message: "Merchant-facing text belongs in the catalogue (app/i18n/locales).",
        },
        {
          selector: `Property[key.name=/^(${TEXT_KEYS})$/] > TemplateLiteral > TemplateElement[value.raw=/[A-Za-z]{2}/]`,
          message: "Merchant-facing text belongs in the catalogue (app/i18n/locales).",
        },
        {
          selector: `CallExpression[callee.property.name="show"] > :matches(Literal, TemplateLiteral)`,
          message: "Toasts say what the catalogue (app/i18n/locales) says.",
        },
        // Words handed to a function or to any prop (a component's own, a helper's argument):
        // a capitalised word or two words apart is text a merchant would read.
        {
          selector: `CallExpression:not([callee.name=/^(t|Error|require)$/]):not([callee.property.name=/^(show|${NOT_TEXT_CALLS})$/]) > Literal.arguments[value=${WORDS}]`,
          message: "Text passed to a function belongs in the catalogue (app/i18n/locales).",
        },
        {
          selector: `CallExpression:not([callee.name=/^(t|Error|require)$/]):not([callee.property.name=/^(show|${NOT_TEXT_CALLS})$/]) > TemplateLiteral.arguments > TemplateElement[value.raw=${WORDS}]`,
          message: "Text passed to a function belongs in the catalogue (app/i18n/locales).",
        },
        {
          selector: `Property:not([key.name=/^(${TEXT_KEYS}|${NOT_TEXT_PROPS})$/]):not(JSXAttribute[name.name="style"] Property) > Literal[value=${WORDS}]`,
          message: "Text in an object belongs in the catalogue (app/i18n/locales).",
        },
        {
          selector: `Property:not([key.name=/^(${TEXT_KEYS}|${NOT_TEXT_PROPS})$/]):not(JSXAttribute[name.name="style"] Property) > TemplateLiteral > TemplateElement[value.raw=${WORDS}]`,
          message: "Text in an object belongs in the catalogue (app/i18n/locales).",
        },
        {
          selector: `JSXAttribute:not([name.name=/^(${TEXT_KEYS}|${NOT_TEXT_PROPS})$/]) > :matches(Literal[value=${WORDS}], JSXExpressionContainer > Literal[value=${WORDS}], JSXExpressionContainer > TemplateLiteral > TemplateElement[value.raw=${WORDS}])`,
          message: "Text passed as a prop belongs in the catalogue (app/i18n/locales).",
        },
      ],
    },
  },
  {
    // The simulator and the app share only the wire and the committed schema.
    files: ["simulator/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["**/app/*", "~/*"], message: "The simulator must not import the app." },
          ],
        },
      ],
    },
  },
);
