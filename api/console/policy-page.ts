// /app/rules and /app/policies/deadlines, for managers: a versioned policy document edited as JSON,
// with its problems shown at their paths, the versions with their authors and comments, the diff
// against the published version, and — for the routing ruleset — simulation on sample intakes kept
// with the draft and a backtest over past cases; for the deadline policy, the open cases it would
// make overdue at once. Publishing asks for the downgrade confirmation the API asks for.
import { html } from 'hono/html';
import type { Bilingual } from '../../domain/stages';
import { PATH_LABELS, RISK_LEVEL_LABELS } from '../../domain/labels';
import type { RiskDecision } from '../../domain/case';
import type { ApiError } from './api-call';
import { dateTime } from './format';
import { consolePage, csrfField, refusalOf, type View } from './view';

export interface PolicyKindPage {
  /** The console page and the API's routes. */
  page: '/app/rules' | '/app/policies/deadlines';
  api: '/rules' | '/policies/deadlines';
  title: Bilingual;
  /** The routing ruleset simulates and backtests; the deadline policy shows what would be overdue. */
  routing: boolean;
}

export interface VersionMeta {
  version: number;
  status?: 'draft' | 'published' | 'retired';
  author: string;
  comment: string;
  createdAt?: string;
  updatedAt?: string;
  publishedAt?: string | null;
}

interface Simulated {
  facts: Record<string, unknown>;
  candidate: { decision: RiskDecision };
  published: { decision: RiskDecision };
  changed: boolean;
}

export interface Backtest {
  cases: number;
  changedPath: number;
  changedLevel: number;
  upgrades: number;
  downgrades: number;
  changes: Array<{ caseId: string; from: { path: string; level: string }; to: { path: string; level: string } }>;
  neverFired: string[];
}

/** What the last button did, to show under the editor. */
export interface Result {
  refused?: ApiError;
  valid?: { rules?: number; checksum: string };
  simulated?: Simulated[];
  backtest?: Backtest;
  overdue?: Array<{ caseId: string; ref?: string; step?: string; dueAt?: string }>;
  published?: number;
  saved?: number;
}

export interface PolicyPageData {
  versions: VersionMeta[];
  published: VersionMeta;
  /** The draft being edited, or none: a new draft from the published version. */
  editing?: number;
  document: string;
  samples: string;
  comment: string;
  diff?: unknown;
  result?: Result;
}

/** A decision as `path/level/score`, in data attributes: what a test compares with the rules CLI's. */
const key = (d: RiskDecision) => `${d.path}/${d.level}/${d.score}`;

const decision = (v: View, d: RiskDecision) =>
  html`<span class="badge level-${d.level}">${v.say(RISK_LEVEL_LABELS[d.level])}</span> ${v.say(PATH_LABELS[d.path])} (${d.score})`;

function results(v: View, r: Result) {
  const { say } = v;
  return html`<section id="result" aria-live="polite">
    ${r.refused ? refusalOf(r.refused).alert : ''}
    ${r.saved ? html`<p class="notice" role="status">${say({ vi: `Đã lưu bản nháp phiên bản ${r.saved}`, en: `Draft version ${r.saved} saved` })}</p>` : ''}
    ${r.published ? html`<p class="notice" role="status">${say({ vi: `Đã ban hành phiên bản ${r.published}`, en: `Version ${r.published} published` })}</p>` : ''}
    ${
      r.valid
        ? html`<p class="notice" role="status">
            ${say({ vi: 'Hợp lệ', en: 'Valid' })}${r.valid.rules !== undefined ? html` · ${r.valid.rules} ${say({ vi: 'quy tắc', en: 'rules' })}` : ''} ·
            <code>${r.valid.checksum.slice(0, 12)}</code>
          </p>`
        : ''
    }
    ${
      r.simulated
        ? html`<h3>${say({ vi: 'Mô phỏng trên các báo cáo mẫu', en: 'Simulated on the sample intakes' })}</h3>
            <ol>
              ${r.simulated.map(
                (s) =>
                  html`<li data-published="${key(s.published.decision)}" data-draft="${key(s.candidate.decision)}">
                    ${say({ vi: 'Đang dùng', en: 'Published' })}: ${decision(v, s.published.decision)} → ${say({ vi: 'bản nháp', en: 'draft' })}:
                    ${decision(v, s.candidate.decision)} ${s.changed ? html`<strong class="overdue">${say({ vi: 'thay đổi', en: 'changed' })}</strong>` : ''}
                    <br /><span class="muted">${s.candidate.decision.reasons.map((x) => say(x.note)).join('; ') || '—'}</span>
                  </li>`,
              )}
            </ol>`
        : ''
    }
    ${
      r.backtest
        ? html`<h3>${say({ vi: 'Chạy thử trên các trường hợp cũ', en: 'Backtest over past cases' })}</h3>
            <p data-backtest="${[r.backtest.cases, r.backtest.changedPath, r.backtest.upgrades, r.backtest.downgrades, r.backtest.changedLevel].join('/')}">
              ${r.backtest.cases} ${say({ vi: 'trường hợp', en: 'cases' })} · ${r.backtest.changedPath} ${say({ vi: 'đổi luồng', en: 'change path' })}
              (${r.backtest.upgrades} ${say({ vi: 'lên khẩn cấp', en: 'to emergency' })},
              <strong class="${r.backtest.downgrades ? 'overdue' : ''}">${r.backtest.downgrades} ${say({ vi: 'xuống luồng thường', en: 'to standard' })}</strong
              >) · ${r.backtest.changedLevel} ${say({ vi: 'đổi mức', en: 'change level' })}
            </p>
            ${
              r.backtest.changes.length
                ? html`<details>
                    <summary>${say({ vi: 'Các trường hợp sẽ thay đổi', en: 'The cases that would move' })}</summary>
                    <ul>
                      ${r.backtest.changes.map(
                        (ch) =>
                          html`<li>
                            <a href="/app/cases/${ch.caseId}">${ch.caseId.slice(0, 8)}</a>: ${ch.from.level}/${ch.from.path} → ${ch.to.level}/${ch.to.path}
                          </li>`,
                      )}
                    </ul>
                  </details>`
                : ''
            }
            ${
              r.backtest.neverFired.length
                ? html`<p>
                    ${say({ vi: 'Quy tắc không áp dụng cho trường hợp nào', en: 'Rules that fired for no case' })}: ${r.backtest.neverFired.join(', ')}
                  </p>`
                : ''
            }`
        : ''
    }
    ${
      r.overdue
        ? html`<h3>${say({ vi: 'Trường hợp đang mở sẽ quá hạn ngay', en: 'Open cases it would make overdue at once' })} (${r.overdue.length})</h3>
            <ul>
              ${r.overdue.map((o) => html`<li><a href="/app/cases/${o.caseId}">${o.ref ?? o.caseId.slice(0, 8)}</a>${o.dueAt ? html` · ${dateTime(o.dueAt)}` : ''}</li>`)}
            </ul>`
        : ''
    }
  </section>`;
}

export function policyPage(v: View, kind: PolicyKindPage, d: PolicyPageData) {
  const { say } = v;
  const editing: Bilingual = d.editing
    ? { vi: `Bản nháp phiên bản ${d.editing}`, en: `Draft version ${d.editing}` }
    : { vi: `Bản nháp mới, từ phiên bản ${d.published.version} đang dùng`, en: `A new draft, from published version ${d.published.version}` };
  const status = (m: VersionMeta): Bilingual =>
    m.status === 'published' || m.version === d.published.version
      ? { vi: 'đang dùng', en: 'published' }
      : m.status === 'retired'
        ? { vi: 'đã thay', en: 'retired' }
        : { vi: 'nháp', en: 'draft' };
  return consolePage(
    v,
    kind.title,
    html`<h1>${say(kind.title)}</h1>
      <h2>${say({ vi: 'Các phiên bản', en: 'Versions' })}</h2>
      <ul class="items">
        ${d.versions.map(
          (m) =>
            html`<li>
              <strong>${say({ vi: 'Phiên bản', en: 'Version' })} ${m.version}</strong> · ${say(status(m))} · ${m.author}
              ${m.publishedAt || m.updatedAt || m.createdAt ? html` · ${dateTime((m.publishedAt || m.updatedAt || m.createdAt)!)}` : ''}
              ${m.comment ? html`<br /><span class="muted">${m.comment}</span>` : ''}
              ${m.status === 'draft' && m.version !== d.editing ? html`<br /><a href="${kind.page}?v=${m.version}">${say({ vi: 'Sửa bản nháp này', en: 'Edit this draft' })}</a>` : ''}
            </li>`,
        )}
      </ul>
      ${d.editing ? html`<p><a href="${kind.page}">${say({ vi: 'Bắt đầu bản nháp mới', en: 'Start a new draft' })}</a></p>` : ''}
      <h2>${say(editing)}</h2>
      ${d.result ? results(v, d.result) : ''}
      <form method="post" action="${kind.page}">
        ${csrfField(v)} ${d.editing ? html`<input type="hidden" name="v" value="${d.editing}" />` : ''}
        <label for="document">${say({ vi: 'Văn bản (JSON)', en: 'Document (JSON)' })}</label>
        <textarea id="document" name="document" rows="24" spellcheck="false" class="code">${d.document}</textarea>
        ${
          kind.routing
            ? html`<label for="samples"
                  >${say({ vi: 'Báo cáo mẫu để mô phỏng (JSON: danh sách báo cáo), lưu cùng bản nháp', en: 'Sample intakes to simulate (JSON: a list of intakes), kept with the draft' })}</label
                >
                <textarea id="samples" name="samples" rows="8" spellcheck="false" class="code">${d.samples}</textarea>`
            : ''
        }
        <label for="comment">${say({ vi: 'Ghi chú (lý do thay đổi, hoặc lý do ban hành)', en: 'Comment (why the change, or why publish)' })}</label>
        <input type="text" id="comment" name="comment" value="${d.comment}" maxlength="2000" />
        <div>
          <button type="submit" name="do" value="validate">${say({ vi: 'Kiểm tra', en: 'Validate' })}</button>
          <button type="submit" name="do" value="save">${say({ vi: 'Lưu bản nháp', en: 'Save draft' })}</button>
          ${
            kind.routing
              ? html`<button type="submit" name="do" value="simulate">${say({ vi: 'Mô phỏng', en: 'Simulate' })}</button>
                  <button type="submit" name="do" value="backtest">${say({ vi: 'Chạy thử trên trường hợp cũ', en: 'Backtest' })}</button>`
              : html`<button type="submit" name="do" value="overdue">${say({ vi: 'Trường hợp sẽ quá hạn', en: 'Cases made overdue' })}</button>`
          }
        </div>
        ${
          kind.routing
            ? html`<label class="check" for="confirm"
                ><input type="checkbox" id="confirm" name="confirmDowngrades" value="true" />
                ${say({ vi: 'Tôi xác nhận chuyển các trường hợp cũ từ luồng khẩn cấp sang luồng thường', en: 'I confirm moving past cases from the emergency to the standard path' })}</label
              >`
            : ''
        }
        <button type="submit" name="do" value="publish" class="primary">${say({ vi: 'Ban hành', en: 'Publish' })}</button>
      </form>
      ${
        d.diff
          ? html`<details>
              <summary>${say({ vi: 'Khác với phiên bản đang dùng', en: 'Differences from the published version' })}</summary>
              <pre class="code">${JSON.stringify(d.diff, null, 2)}</pre>
            </details>`
          : ''
      }`,
  );
}
