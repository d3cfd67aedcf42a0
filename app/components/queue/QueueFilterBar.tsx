// The queue's IndexFilters: saved views as tabs, search, filters and sort, all kept in the URL.
import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from "react";
import {
  ChoiceList,
  IndexFilters,
  IndexFiltersMode,
  TextField,
  useSetIndexFiltersMode,
  type AppliedFilterInterface,
  type FilterInterface,
  type IndexFiltersProps,
  type TabProps,
} from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import { FULFILLMENT_HOLD_REASONS, RISK_LEVELS } from "../../routing/snapshot";
import {
  AGE_BUCKETS,
  DECIDED_BY_SETTINGS,
  DEFAULT_SORT,
  OUTCOMES,
  SORT_VALUES,
  isOutcome,
  type SortKey,
  type SortValue,
} from "../../routing/vocabulary";
import { canonicalViewQuery } from "../../services/queue-params";

const isIn = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

const MULTI = ["status", "reason", "rule", "location", "risk"] as const;
type MultiKey = (typeof MULTI)[number];

export interface SavedViewTab {
  id: string;
  name: string;
  query: string;
}

export interface QueueFilterBarProps {
  /** The queue's current params (the URL, or where a navigation is heading). */
  params: URLSearchParams;
  choices: { rules: string[]; locations: string[] };
  /** Settings' warning window: the payment filter offers orders lapsing within it. */
  warnHours: number;
  views: SavedViewTab[];
  loading: boolean;
  /** Applies new params: filters reset paging. */
  onParamsChange(next: URLSearchParams, options?: { replace?: boolean }): void;
  onSaveView(name: string, query: string): void;
  onRenameView(id: string, name: string): void;
  onDeleteView(id: string): void;
}

const DEBOUNCE_MS = 300;

/** A rule filter's choice: the rule's name, or Settings when no rule decided. */
const ruleLabel = (t: TFunction, value: string) =>
  value === DECIDED_BY_SETTINGS ? t("queue.decidedBySettings") : value;

function labelsFor(t: TFunction, key: MultiKey, values: string[]): string[] {
  switch (key) {
    case "status":
      return values.map((v) => (isOutcome(v) ? t(`outcome.${v}`) : v));
    case "reason":
      return values.map((v) => (isIn(FULFILLMENT_HOLD_REASONS, v) ? t(`holdReason.${v}`) : v));
    case "risk":
      return values.map((v) => (isIn(RISK_LEVELS, v) ? t(`risk.${v}`) : v));
    case "rule":
      return values.map((v) => ruleLabel(t, v));
    default:
      return values;
  }
}

type FilterName = MultiKey | "age" | "tag" | "include";

export function QueueFilterBar({
  params,
  choices,
  warnHours,
  views,
  loading,
  onParamsChange,
  onSaveView,
  onRenameView,
  onDeleteView,
}: QueueFilterBarProps) {
  const { t } = useTranslation();
  const filterName = (key: FilterName) => t(`queue.filter.${key}`);
  // Arriving with filters in the URL (a link, a saved view) shows them, ready to change.
  const { mode, setMode } = useSetIndexFiltersMode(
    [...MULTI, "age", "tag", "completed", "cancelled", "lapsesWithin", "q"].some((key) =>
      params.has(key),
    )
      ? IndexFiltersMode.Filtering
      : IndexFiltersMode.Default,
  );
  // Opening search and filters (or closing them) redraws the whole bar, and the table under it
  // moves: as a transition, the tap gets its next frame at once and that work follows, instead of
  // the merchant's first tap waiting on it (the queue's INP). Focus still goes to the search field
  // when it appears.
  const setModeSoon = useCallback(
    (next: IndexFiltersMode) => startTransition(() => setMode(next)),
    [setMode],
  );
  const urlQuery = params.get("q") ?? "";
  const urlTag = params.get("tag") ?? "";
  // Typing is local and debounced; the URL (and the loader) follow a moment later.
  const [query, setQuery] = useState(urlQuery);
  const [tag, setTag] = useState(urlTag);
  // What this bar last wrote to the URL: only a change from elsewhere (a view, "clear all", back)
  // replaces what the merchant is typing.
  const pushed = useRef({ q: urlQuery, tag: urlTag });
  useEffect(() => {
    if (urlQuery !== pushed.current.q) setQuery(urlQuery);
    pushed.current.q = urlQuery;
  }, [urlQuery]);
  useEffect(() => {
    if (urlTag !== pushed.current.tag) setTag(urlTag);
    pushed.current.tag = urlTag;
  }, [urlTag]);

  const change = useCallback(
    (mutate: (next: URLSearchParams) => void, options?: { replace?: boolean }) => {
      const next = new URLSearchParams(params);
      mutate(next);
      onParamsChange(next, options);
    },
    [params, onParamsChange],
  );

  useEffect(() => {
    if (query.trim() === urlQuery && tag.trim() === urlTag) return;
    const timer = setTimeout(() => {
      pushed.current = { q: query.trim(), tag: tag.trim() };
      change(
        (next) => {
          if (query.trim()) next.set("q", query.trim());
          else next.delete("q");
          if (tag.trim()) next.set("tag", tag.trim());
          else next.delete("tag");
        },
        { replace: true },
      );
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, tag, urlQuery, urlTag, change]);

  const current = canonicalViewQuery(params);
  const selectedView = views.findIndex((v) => v.query === current);
  const selected = current === "" ? 0 : selectedView >= 0 ? selectedView + 1 : 0;

  const tabs: TabProps[] = useMemo(
    () => [
      { id: "all", content: t("queue.filter.all"), isLocked: true, onAction: () => undefined },
      ...views.map((view) => ({
        id: view.id,
        content: view.name,
        onAction: () => undefined,
        actions: [
          {
            type: "rename" as const,
            onPrimaryAction: async (name: string) => {
              onRenameView(view.id, name);
              return true;
            },
          },
          {
            type: "delete" as const,
            onPrimaryAction: async () => {
              onDeleteView(view.id);
              return true;
            },
          },
        ],
      })),
    ],
    [views, onRenameView, onDeleteView, t],
  );

  const onSelect = (index: number) => {
    const view = index === 0 ? null : views[index - 1];
    onParamsChange(new URLSearchParams(view?.query ?? ""));
  };

  const viewIsEdited = selected > 0 && views[selected - 1]?.query !== current;
  const primaryAction: IndexFiltersProps["primaryAction"] =
    selected > 0 && viewIsEdited
      ? {
          type: "save",
          onAction: async () => {
            const view = views[selected - 1];
            if (view) onSaveView(view.name, current);
            return true;
          },
          disabled: !viewIsEdited,
        }
      : {
          type: "save-as",
          onAction: async (name: string) => {
            onSaveView(name, current);
            return true;
          },
          disabled: current === "",
        };

  const setMulti = (key: MultiKey) => (values: string[]) =>
    change((next) => {
      next.delete(key);
      for (const v of values) next.append(key, v);
    });

  const multi = (key: MultiKey, options: { label: string; value: string }[]): FilterInterface => ({
    key,
    label: filterName(key),
    pinned: key === "status",
    disabled: options.length === 0,
    filter: (
      <ChoiceList
        title={filterName(key)}
        titleHidden
        allowMultiple
        choices={options}
        selected={params.getAll(key)}
        onChange={setMulti(key)}
      />
    ),
  });

  const include = [
    params.get("completed") ? "completed" : null,
    params.get("cancelled") ? "cancelled" : null,
  ].filter((v): v is string => v !== null);

  // Polaris draws the filters and the applied ones only while filtering: in the default view (a
  // first load without filters in the URL) their choices and words are not made at all, which
  // was most of this bar's hydration inside a tap made while the page still hydrates.
  const filtering = mode === IndexFiltersMode.Filtering;
  const filters: FilterInterface[] = !filtering
    ? []
    : [
        multi(
          "status",
          OUTCOMES.map((value) => ({ value, label: t(`outcome.${value}`) })),
        ),
        {
          key: "include",
          label: filterName("include"),
          pinned: true,
          filter: (
            <ChoiceList
              title={filterName("include")}
              titleHidden
              allowMultiple
              choices={[
                { value: "completed", label: t("queue.filter.includeCompleted") },
                { value: "cancelled", label: t("queue.filter.includeCancelled") },
              ]}
              selected={include}
              onChange={(values) =>
                change((next) => {
                  for (const key of ["completed", "cancelled"]) {
                    if (values.includes(key)) next.set(key, "1");
                    else next.delete(key);
                  }
                })
              }
            />
          ),
        },
        multi(
          "reason",
          FULFILLMENT_HOLD_REASONS.map((value) => ({ value, label: t(`holdReason.${value}`) })),
        ),
        multi(
          "rule",
          choices.rules.map((value) => ({ value, label: ruleLabel(t, value) })),
        ),
        multi(
          "location",
          choices.locations.map((value) => ({ value, label: value })),
        ),
        multi(
          "risk",
          RISK_LEVELS.map((value) => ({ value, label: t(`risk.${value}`) })),
        ),
        {
          key: "age",
          label: filterName("age"),
          filter: (
            <ChoiceList
              title={filterName("age")}
              titleHidden
              choices={AGE_BUCKETS.map((value) => ({ value, label: t(`age.${value}`) }))}
              selected={params.getAll("age")}
              onChange={(values) =>
                change((next) => {
                  if (values[0]) next.set("age", values[0]);
                  else next.delete("age");
                })
              }
            />
          ),
        },
        {
          key: "lapsesWithin",
          label: t("deadlines.queue.filter"),
          filter: (
            <ChoiceList
              title={t("deadlines.queue.filter")}
              titleHidden
              choices={[
                {
                  value: String(warnHours),
                  label: t("deadlines.queue.lapsing", { hours: warnHours }),
                },
              ]}
              selected={params.getAll("lapsesWithin")}
              onChange={(values) =>
                change((next) => {
                  if (values[0]) next.set("lapsesWithin", values[0]);
                  else next.delete("lapsesWithin");
                })
              }
            />
          ),
        },
        {
          key: "tag",
          label: filterName("tag"),
          filter: (
            <TextField
              label={t("queue.filter.orderTag")}
              labelHidden
              value={tag}
              onChange={setTag}
              autoComplete="off"
              placeholder={t("queue.filter.orderTagPlaceholder")}
            />
          ),
        },
      ];

  const appliedFilters: AppliedFilterInterface[] = [];
  if (filtering) {
    for (const key of MULTI) {
      const values = params.getAll(key);
      if (values.length === 0) continue;
      appliedFilters.push({
        key,
        label: t("queue.filter.applied", {
          name: filterName(key),
          values: labelsFor(t, key, values).join(", "),
        }),
        onRemove: () => change((next) => next.delete(key)),
      });
    }
    if (include.length > 0) {
      appliedFilters.push({
        key: "include",
        label:
          include.length === 2
            ? t("queue.filter.includingBoth")
            : include[0] === "completed"
              ? t("queue.filter.includingCompleted")
              : t("queue.filter.includingCancelled"),
        onRemove: () =>
          change((next) => {
            next.delete("completed");
            next.delete("cancelled");
          }),
      });
    }
    const age = params.get("age");
    if (age) {
      appliedFilters.push({
        key: "age",
        label: isIn(AGE_BUCKETS, age) ? t(`age.${age}`) : age,
        onRemove: () => change((next) => next.delete("age")),
      });
    }
    const lapsesWithin = params.get("lapsesWithin");
    if (lapsesWithin) {
      appliedFilters.push({
        key: "lapsesWithin",
        label: t("deadlines.queue.applied", {
          value: t("deadlines.queue.lapsing", { hours: lapsesWithin }),
        }),
        onRemove: () => change((next) => next.delete("lapsesWithin")),
      });
    }
    if (urlTag) {
      appliedFilters.push({
        key: "tag",
        label: t("queue.filter.tagged", { tag: urlTag }),
        onRemove: () => {
          setTag("");
          change((next) => next.delete("tag"));
        },
      });
    }
  }

  const searchAndFilter = t("queue.filter.searchAndFilter");
  return (
    // A press of Search and filter does not focus the button (as Safari never does): Polaris shows
    // the button's tooltip on focus and hides it again when the button blurs itself on mouseup, so
    // a click drew and dropped a tooltip it never showed, re-rendering every tooltip of the page
    // through Polaris's presence context (most of the tap's time in a Chromium trace). The search
    // field takes the focus once filtering opens; keyboard focus and hover still show the tooltip.
    <div
      style={{ display: "contents" }}
      onMouseDownCapture={(event) => {
        const button = (event.target as Element).closest("button");
        if (button?.getAttribute("aria-label") === searchAndFilter) event.preventDefault();
      }}
    >
      <IndexFilters
        tabs={tabs}
        selected={selected}
        onSelect={onSelect}
        canCreateNewView
        onCreateNewView={async (name) => {
          onSaveView(name, current);
          return true;
        }}
        sortOptions={SORT_VALUES.map((value) => ({
          value,
          label: t(`queue.sort.by.${value.split(" ")[0] as SortKey}`),
          directionLabel: t(`queue.sort.direction.${value}`),
        }))}
        sortSelected={[params.get("sort") ?? DEFAULT_SORT]}
        onSort={(value) =>
          change((next) => {
            const sort = value[0] as SortValue | undefined;
            if (!sort || sort === DEFAULT_SORT) next.delete("sort");
            else next.set("sort", sort);
          })
        }
        queryValue={query}
        queryPlaceholder={t("queue.filter.search")}
        onQueryChange={setQuery}
        onQueryClear={() => setQuery("")}
        filters={filters}
        appliedFilters={appliedFilters}
        onClearAll={() =>
          change((next) => {
            for (const key of [...MULTI, "age", "tag", "completed", "cancelled", "lapsesWithin"])
              next.delete(key);
            setTag("");
          })
        }
        primaryAction={primaryAction}
        cancelAction={{
          onAction: () => {
            const view = selected > 0 ? views[selected - 1] : null;
            setQuery(view ? (new URLSearchParams(view.query).get("q") ?? "") : urlQuery);
          },
        }}
        mode={mode}
        setMode={setModeSoon}
        loading={loading}
        filteringAccessibilityLabel={searchAndFilter}
      />
    </div>
  );
}
