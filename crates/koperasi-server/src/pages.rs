//! Server-rendered pages (maud): login, city triage, cooperative, drill-down, mentoring.

use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use koperasi::core::chrono::{Datelike as _, NaiveDate};
use koperasi::core::{Decimal, EntryId, MemberId, Rupiah};
use koperasi::ledger::Side;
use koperasi::membership::Permission;
use koperasi::reporting::report::decimal_id;
use koperasi::reporting::statements::Section;
use maud::{DOCTYPE, Markup, html};
use serde::Deserialize;

use crate::api::{FindingBody, add_finding_blocking, client_addr, member_json};
use crate::auth::{Caller, LOGIN_CSRF_COOKIE, PageCaller, cookie, random_bytes, same};
use crate::error::ApiError;
use crate::state::{Access, AppState, Coop, lock};
use crate::views::{self, CityData, Series, Severity, read};

/// The JavaScript of the pages (sorting, filtering, live updates, proof verification).
pub const APP_JS: &str = include_str!("../assets/app.js");
/// The stylesheet.
pub const APP_CSS: &str = include_str!("../assets/app.css");

/// An error shown as a page.
#[derive(Debug)]
pub struct PageError(pub ApiError);

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let e = self.0;
        if e.status.is_server_error() {
            eprintln!("koperasi-server: {e}");
        }
        let msg = if e.status.is_server_error() {
            "Kesalahan internal server.".to_owned()
        } else {
            e.message.clone()
        };
        let body = page_shell(
            "Kesalahan",
            None,
            false,
            &html! {
                h1 { "Tidak dapat ditampilkan" }
                p class="error" { (e.status.as_u16()) " — " (msg) }
                p { a href="/" { "Kembali ke beranda" } }
            },
        );
        (e.status, Html(body.into_string())).into_response()
    }
}

pub(crate) type PageResult = Result<Response, PageError>;

fn rp(x: Rupiah) -> String {
    x.to_string()
}

pub(crate) fn page_shell(
    title: &str,
    caller: Option<&Caller>,
    live: bool,
    body: &Markup,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="id" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Koperasi" }
                link rel="stylesheet" href="/assets/app.css";
                script src="/assets/app.js" defer {}
            }
            body data-live=(if live { "1" } else { "0" }) {
                header class="top" {
                    a class="brand" href="/" { "Koperasi" }
                    @if let Some(c) = caller {
                        nav {
                            @if c.user.access == Access::City { a href="/pengguna" { "Pengguna" } }
                            a href="/kata-sandi" { "Kata sandi" }
                            span class="who" { (c.user.username) }
                            form method="post" action="/logout" class="inline" {
                                input type="hidden" name="_csrf" value=(c.csrf);
                                button type="submit" { "Keluar" }
                            }
                        }
                    }
                }
                main id="main" { (body) }
                footer { "Koperasi — pembukuan koperasi desa/kelurahan. Angka dalam rupiah, format Indonesia." }
            }
        }
    }
}

pub(crate) fn page(title: &str, c: &Caller, live: bool, body: &Markup) -> Response {
    Html(page_shell(title, Some(c), live, body).into_string()).into_response()
}

fn simulasi(state: &AppState) -> Markup {
    html! {
        @if state.config().simulated {
            p class="badge-sim" role="note" { "SIMULASI — data buatan untuk demonstrasi, bukan data koperasi sungguhan." }
        }
    }
}

/// `GET /`: the city office goes to the city view, everyone else to their cooperative.
pub async fn home(State(state): State<AppState>, PageCaller(c): PageCaller) -> Response {
    match &c.user.access {
        Access::City | Access::CityReader => Redirect::to("/kota").into_response(),
        Access::Coop { coop, member, .. } => {
            let code = state
                .coops()
                .get(*coop)
                .map(|x| x.code.clone())
                .unwrap_or_default();
            match member {
                Some(m) => Redirect::to(&format!("/koperasi/{code}/anggota/{m}")).into_response(),
                None => Redirect::to(&format!("/koperasi/{code}")).into_response(),
            }
        }
    }
}

fn login_form(csrf: &str, error: Option<&str>) -> Markup {
    page_shell(
        "Masuk",
        None,
        false,
        &html! {
            section class="login" {
                h1 { "Masuk" }
                @if let Some(e) = error { p class="error" role="alert" { (e) } }
                form method="post" action="/login" {
                    input type="hidden" name="_csrf" value=(csrf);
                    label for="username" { "Nama pengguna" }
                    input id="username" name="username" autocomplete="username" required;
                    label for="password" { "Kata sandi" }
                    input id="password" name="password" type="password" autocomplete="current-password" required;
                    button type="submit" id="login" { "Masuk" }
                }
            }
        },
    )
}

fn login_page(state: &AppState, error: Option<&str>, status: StatusCode) -> PageResult {
    let csrf = hex::encode(random_bytes::<16>()?);
    let mut r = (status, Html(login_form(&csrf, error).into_string())).into_response();
    let secure = if state.config().secure_cookies {
        "; Secure"
    } else {
        ""
    };
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&format!(
            "{LOGIN_CSRF_COOKIE}={csrf}; Path=/login; HttpOnly; SameSite=Strict{secure}"
        ))
        .map_err(|e| ApiError::internal(e.to_string()))?,
    );
    Ok(r)
}

/// `GET /login`.
pub async fn login_get(State(state): State<AppState>) -> PageResult {
    login_page(&state, None, StatusCode::OK)
}

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    #[serde(rename = "_csrf")]
    csrf: String,
}

/// `POST /login` (form): checks the double-submit token, then the password.
pub async fn login_post(State(state): State<AppState>, req: Request) -> PageResult {
    let addr = client_addr(&req);
    let cookie_token = cookie(req.headers(), LOGIN_CSRF_COOKIE).map(str::to_owned);
    let bytes = axum::body::to_bytes(req.into_body(), state.config().body_limit)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "isi terlalu besar",
            )
        })?;
    let Ok(form) = serde_urlencoded::from_bytes::<LoginForm>(&bytes) else {
        return login_page(
            &state,
            Some("Isian tidak lengkap."),
            StatusCode::BAD_REQUEST,
        );
    };
    if !cookie_token.is_some_and(|t| same(t.as_bytes(), form.csrf.as_bytes())) {
        return login_page(
            &state,
            Some("Formulir kedaluwarsa; silakan coba lagi."),
            StatusCode::FORBIDDEN,
        );
    }
    match state.login(&form.username, &form.password, addr).await {
        Ok(ok) => {
            let mut r = Redirect::to("/").into_response();
            r.headers_mut().insert(
                header::SET_COOKIE,
                HeaderValue::from_str(&state.session_cookie(&ok.token))
                    .map_err(|e| ApiError::internal(e.to_string()))?,
            );
            Ok(r)
        }
        Err(e) if e.status == StatusCode::UNAUTHORIZED => login_page(
            &state,
            Some("Nama pengguna atau kata sandi salah."),
            StatusCode::UNAUTHORIZED,
        ),
        Err(e) if e.status == StatusCode::TOO_MANY_REQUESTS => login_page(
            &state,
            Some("Terlalu banyak percobaan. Coba lagi beberapa menit lagi."),
            StatusCode::TOO_MANY_REQUESTS,
        ),
        Err(e) => Err(e.into()),
    }
}

/// `POST /logout` (form, CSRF-checked by the middleware).
pub async fn logout_post(State(state): State<AppState>, headers: HeaderMap) -> PageResult {
    if let Some(t) = cookie(&headers, crate::auth::SESSION_COOKIE) {
        state.logout(t).await?;
    }
    let mut r = Redirect::to("/login").into_response();
    r.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("koperasi_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    Ok(r)
}

#[derive(Deserialize, Default)]
pub(crate) struct AsOfQ {
    as_of: Option<String>,
}

fn legend() -> Markup {
    html! {
        ul class="legend" aria-label="Keterangan warna" {
            li { span class="dot sev-crit" {} "Merah: kritis, perlu tindakan segera" }
            li { span class="dot sev-warn" {} "Kuning: perlu perhatian" }
            li { span class="dot sev-ok" {} "Hijau: baik" }
        }
    }
}

fn dec(d: Option<koperasi::core::Decimal>) -> String {
    d.map(|v| v.to_string()).unwrap_or_default()
}

fn city_body(state: &AppState, d: &CityData) -> Markup {
    let t = &d.view.totals;
    let tm = &d.view.total_metrics;
    let n = |s: Severity| d.triage.iter().filter(|r| r.severity == s).count();
    html! {
        div class="tiles" {
            div class="tile sev-crit" { span class="k" { "Kritis" } span class="v" id="count-crit" { (n(Severity::Critical)) } }
            div class="tile sev-warn" { span class="k" { "Perhatian" } span class="v" { (n(Severity::Warning)) } }
            div class="tile sev-ok" { span class="k" { "Baik" } span class="v" { (n(Severity::Ok)) } }
            div class="tile" { span class="k" { "Anggota" } span class="v" { (t.anggota) } }
            div class="tile" { span class="k" { "Simpanan" } span class="v" { (rp(tm.savings_total)) } }
            div class="tile" { span class="k" { "Pinjaman beredar" } span class="v" { (rp(tm.loans_outstanding)) } }
            div class="tile" { span class="k" { "NPL kota" } span class="v" { (views::pct(tm.npl_pct)) } }
            div class="tile" { span class="k" { "Penjualan" } span class="v" id="city-sales" { (rp(t.sales_member.checked_add(t.sales_non_member).unwrap_or(Rupiah::ZERO))) } }
        }
        div class="table-wrap" {
            table class="triage sortable" id="triage" {
                caption { "Koperasi, yang perlu perhatian lebih dulu. Klik judul kolom untuk mengurutkan." }
                thead { tr {
                    th scope="col" data-sort="num" { "Prioritas" }
                    th scope="col" data-sort="text" { "Koperasi" }
                    th scope="col" data-sort="num" { "Predikat (skor)" }
                    th scope="col" data-sort="num" { "NPL" }
                    th scope="col" data-sort="num" { "Rasio kas" }
                    th scope="col" data-sort="text" { "RAT" }
                    th scope="col" data-sort="num" { "Tunggakan Himbara" }
                    th scope="col" data-sort="num" { "Tanpa transaksi" }
                    th scope="col" data-sort="num" { "Penjualan" }
                    th scope="col" data-sort="num" { "Simpanan" }
                    th scope="col" { "Temuan" }
                } }
                tbody {
                    @for (i, r) in d.triage.iter().enumerate() {
                        tr class=(r.severity.class()) data-sev=(r.severity.label()) data-code=(r.code) {
                            td data-v=(i + 1) { span class={"dot " (r.severity.class())} {} " " (r.severity.label()) }
                            td data-v=(r.name) { a href={"/koperasi/" (r.code)} { (r.name) } br; small { (r.code) } }
                            td data-v=(dec(r.health_score)) { (r.predikat.clone().unwrap_or_else(|| "belum dinilai".to_owned())) @if let Some(s) = r.health_score { " (" (s.to_string().replace('.', ",")) ")" } }
                            td data-v=(dec(r.npl_pct)) { (views::pct(r.npl_pct)) }
                            td data-v=(dec(r.rasio_kas_pct)) { (views::pct(r.rasio_kas_pct)) }
                            td { (match r.rat_on_time { Some(true) => "tepat waktu", Some(false) => "terlambat", None => "belum jatuh tempo" }) }
                            td data-v=(r.himbara_late.to_decimal()) { (rp(r.himbara_late)) }
                            td data-v=(r.idle_days) { (r.idle_days) " hari" }
                            td data-v=(r.sales.to_decimal()) class="sales" { (rp(r.sales)) }
                            td data-v=(r.savings.to_decimal()) { (rp(r.savings)) }
                            td class="reasons-cell" { ul class="reasons" { @for a in &r.reasons { li class=(a.severity.class()) title=(a.detail) { (a.label) } } } }
                        }
                    }
                }
                tfoot { tr {
                    th scope="row" colspan="2" { "Jumlah " (t.cooperatives) " koperasi" }
                    td { (t.predikat_counts.first().copied().unwrap_or(0)) " sehat" }
                    td { (views::pct(tm.npl_pct)) }
                    td { (views::pct(tm.rasio_kas_pct)) }
                    td { (t.rat_late) " terlambat" }
                    td { (rp(t.himbara.late)) }
                    td {}
                    td { (rp(t.sales_member.checked_add(t.sales_non_member).unwrap_or(Rupiah::ZERO))) }
                    td { (rp(tm.savings_total)) }
                    td { (d.view.flags.len()) " temuan" }
                } }
            }
        }
        (simulasi(state))
    }
}

fn parse_as_of(
    q: Result<Query<AsOfQ>, axum::extract::rejection::QueryRejection>,
) -> Result<Option<NaiveDate>, ApiError> {
    let q = q.map(|q| q.0).unwrap_or_default();
    q.as_of
        .as_deref()
        .filter(|s| !s.is_empty())
        .map(|s| {
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| ApiError::bad_request("as_of: YYYY-MM-DD"))
        })
        .transpose()
}

/// Links to the other fiscal years up to the one of `latest`.
fn year_links(base: &str, shown: i32, latest: NaiveDate) -> Markup {
    let last = latest.year();
    html! {
        @for y in (last.saturating_sub(1))..=last {
            @if y != shown {
                a class="year" href={(base) "?as_of=" (y) "-12-31"} {
                    "Tahun buku " (y) @if y == last { " (berjalan)" }
                }
                " "
            }
        }
    }
}

/// `GET /kota`: the city triage view.
pub async fn city_page(
    State(state): State<AppState>,
    PageCaller(c): PageCaller,
    q: Result<Query<AsOfQ>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let as_of = parse_as_of(q)?;
    let (st2, user) = (state.clone(), c.user.clone());
    let d = tokio::task::spawn_blocking(move || views::city_data(&st2, &user, as_of))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))??;
    let body = html! {
        h1 { "Pemantauan koperasi — " (state.config().city) }
        @if c.user.access == Access::City { p class="actions" { a href="/kota/daftar" { "Daftarkan koperasi" } } }
        @if state.coops().is_empty() { p class="notice" role="status" { "Belum ada koperasi di penyimpanan ini." @if c.user.access == Access::City { " Daftarkan koperasi pertama." } } }
        p class="sub" { "Tahun buku " (d.year) ", posisi " (d.as_of.format("%d-%m-%Y")) ". "
            (year_links("/kota", d.year, d.as_of.max(views::latest_date(&state, &state.visible(&c.user))?)))
            span id="live-status" aria-live="polite" { "Langsung: menunggu perubahan." } }
        (legend())
        div class="filters" {
            label for="cari" { "Cari" }
            input id="cari" type="search" placeholder="nama atau kode" data-filter="triage";
            label for="sev" { "Tingkat" }
            select id="sev" data-filter-sev="triage" {
                option value="" { "semua" }
                option value="kritis" { "kritis" }
                option value="perhatian" { "perhatian" }
                option value="baik" { "baik" }
            }
        }
        div id="live" { (city_body(&state, &d)) }
    };
    Ok(page("Pemantauan kota", &c, true, &body))
}

/// An inline SVG line chart of a monthly series (no script, no external resource).
pub fn line_chart(s: &Series) -> Markup {
    let (w, h, pad) = (320i64, 120i64, 8i64);
    let vals: Vec<i128> = s.points.iter().map(|p| p.value.to_sen()).collect();
    let max = vals.iter().copied().max().unwrap_or(0).max(1);
    let min = vals.iter().copied().min().unwrap_or(0).min(0);
    let span = (max - min).max(1);
    let n = i64::try_from(vals.len()).unwrap_or(1).max(2) - 1;
    let pts: Vec<String> = vals
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let x = pad + (w - 2 * pad) * i64::try_from(i).unwrap_or(0) / n.max(1);
            let y = i128::from(h - pad) - (i128::from(h - 2 * pad) * (v - min) / span);
            format!("{x},{y}")
        })
        .collect();
    let last = s.points.last();
    html! {
        figure class="chart" {
            figcaption { (s.label) @if let Some(p) = last { ": " strong { (rp(p.value)) } } }
            svg viewBox={"0 0 " (w) " " (h)} role="img" aria-label=(s.label) {
                line class="axis" x1=(pad) y1=(h - pad) x2=(w - pad) y2=(h - pad) {}
                polyline class="series" points=(pts.join(" ")) {}
                @for (i, p) in pts.iter().enumerate() {
                    @if let Some((x, y)) = p.split_once(',') {
                        circle class="pt" cx=(x) cy=(y) r="2.5" {
                            title { (s.points.get(i).map(|p| format!("{}: {}", p.date.format("%m/%Y"), rp(p.value))).unwrap_or_default()) }
                        }
                    }
                }
            }
            p class="range" { (s.points.first().map(|p| p.date.format("%m/%Y").to_string()).unwrap_or_default()) " – " (s.points.last().map(|p| p.date.format("%m/%Y").to_string()).unwrap_or_default()) }
        }
    }
}

fn bar_chart(label: &str, bars: &[(String, Rupiah)]) -> Markup {
    let max = bars
        .iter()
        .map(|(_, v)| v.to_sen())
        .max()
        .unwrap_or(1)
        .max(1);
    let h = 22 * i64::try_from(bars.len()).unwrap_or(0) + 4;
    html! {
        figure class="chart" {
            figcaption { (label) }
            svg viewBox={"0 0 430 " (h)} role="img" aria-label=(label) {
                @for (i, (name, v)) in bars.iter().enumerate() {
                    @let y = 22 * i64::try_from(i).unwrap_or(0) + 2;
                    @let wd = i64::try_from(200 * v.to_sen().max(0) / max).unwrap_or(0);
                    text class="bl" x="0" y=(y + 14) { (name) }
                    rect class="bar" x="110" y=(y) width=(wd) height="16" {}
                    text class="bv" x=(114 + wd) y=(y + 14) { (rp(*v)) }
                }
            }
        }
    }
}

fn section_table(id: &str, code: &str, s: &Section) -> Markup {
    html! {
        tbody {
            tr class="sec" { th colspan="2" scope="rowgroup" { (s.title) } }
            @for l in &s.lines {
                tr {
                    td { a href={"/koperasi/" (id) "/akun?kode=" (l.accounts.join(",")) "&label=" (urlenc(&l.label))} data-line=(l.label) { (l.label) } }
                    td class="num" { (rp(l.amounts.current)) }
                }
            }
            tr class="total" { th scope="row" { "Jumlah " (s.title) } td class="num" { (rp(s.total.current)) } }
        }
        @let _ = code;
    }
}

fn urlenc(s: &str) -> String {
    serde_urlencoded::to_string([("", s)])
        .map(|x| x.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

/// `GET /koperasi/{id}`: key figures, trends, statements, health and warnings.
pub async fn coop_page(
    State(state): State<AppState>,
    PageCaller(c): PageCaller,
    Path(id): Path<String>,
    q: Result<Query<AsOfQ>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let (idx, coop) = state.authorize(&c.user, &id, Permission::ViewAggregates)?;
    let as_of = parse_as_of(q)?;
    let st2 = state.clone();
    tokio::task::spawn_blocking(move || coop_page_blocking(&st2, &c, idx, &coop, as_of))
        .await
        .map_err(|e| ApiError::internal(e.to_string()))?
}

fn coop_page_blocking(
    state: &AppState,
    c: &Caller,
    idx: usize,
    coop: &Coop,
    as_of: Option<NaiveDate>,
) -> PageResult {
    let (year, report_date) = views::report_year_date(state, &[idx], as_of)?;
    let fy = koperasi::core::FiscalYear::calendar(year)
        .map_err(|e| ApiError::bad_request(e.to_string()))?;
    // this cooperative's row of the city view (flags are per cooperative)
    let city = views::city_data_of(state, &[idx], year, report_date)?;
    let row = city.triage.into_iter().find(|r| r.code == coop.code);
    let figures = views::coop_figures(coop, year, report_date)?;
    let trends = views::coop_trends(coop)?;
    let admin = c.user.access == Access::City || {
        let p = state.permissions(&c.user, coop);
        p.contains(Permission::ManageAccess) || p.contains(Permission::ManageGovernance)
    };
    let b = read(coop)?;
    let running = fy.end() >= b.last_date();
    let st = &figures.statements;
    let period = koperasi::core::Period::new(fy.start(), st.balance_sheet.as_of.max(fy.start()))
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let prev = if b.closed_years().contains_key(&fy.year()) {
        Some(fy)
    } else {
        fy.previous()
            .ok()
            .filter(|p| b.closed_years().contains_key(&p.year()))
    };
    let health_cached = match prev {
        Some(p) => Some(views::coop_health(coop, p)?),
        None => None,
    };
    let health = health_cached.as_ref().and_then(|h| h.as_ref().as_ref());
    let by_unit: Vec<(String, Rupiah)> = st
        .income_statement
        .by_unit
        .iter()
        .map(|u| {
            let t = u
                .member_revenue
                .checked_add(u.non_member_revenue)
                .unwrap_or(Rupiah::ZERO);
            (views::unit_name(u.unit), t)
        })
        .filter(|(_, v)| v.is_positive())
        .collect();
    let bs = &st.balance_sheet;
    let code = coop.code.clone();
    let body = html! {
        p class="crumbs" { @if c.user.access.is_city() { a href="/kota" { "Kota" } " › " } (coop.name) }
        h1 { (coop.name) " " small { (coop.code) } }
        p class="sub" { "Tahun buku " (fy.year()) @if running { " (berjalan)" } @else { " (ditutup)" } ", posisi " (fy.end().min(b.last_date()).format("%d-%m-%Y")) ". "
            (year_links(&format!("/koperasi/{}", coop.code), fy.year(), b.last_date()))
            span id="live-status" aria-live="polite" { "Langsung: menunggu perubahan." } }
        (simulasi(state))
        div id="live" {
            @if let Some(r) = &row {
                section class={"warnings " (r.severity.class())} {
                    h2 { "Peringatan" }
                    @if r.reasons.is_empty() { p { "Tidak ada peringatan." } }
                    ul { @for a in &r.reasons { li class=(a.severity.class()) { strong { (a.label) } ": " (a.detail) } } }
                }
                div class="tiles" {
                    div class="tile" { span class="k" { "Anggota" } span class="v" { (r.anggota) } }
                    div class="tile" { span class="k" { "Simpanan" } span class="v" { (rp(r.savings)) } }
                    div class="tile" { span class="k" { "Pinjaman beredar" } span class="v" { (rp(r.loans)) } }
                    div class={"tile " (if r.npl_pct.is_some_and(|v| v > koperasi::core::Decimal::from(5)) { "sev-crit" } else { "" })} { span class="k" { "NPL" } span class="v" { (views::pct(r.npl_pct)) } }
                    div class="tile" { span class="k" { "Rasio kas" } span class="v" { (views::pct(r.rasio_kas_pct)) } }
                    div class="tile" { span class="k" { "Penjualan tahun ini" } span class="v" id="coop-sales" { (rp(r.sales)) } }
                    div class="tile" { span class="k" { "Jurnal" } span class="v" id="coop-entries" { (b.ledger().len()) } }
                }
            }
            section { h2 { "Tren bulanan" }
                div class="charts" {
                    @for s in trends.iter() { (line_chart(s)) }
                    @if !by_unit.is_empty() { (bar_chart("Pendapatan per unit usaha (tahun berjalan)", &by_unit)) }
                }
            }
            section class="statements" {
                h2 { "Neraca per " (bs.as_of.format("%d-%m-%Y")) }
                p class="hint" { "Klik sebuah baris untuk melihat akun dan jurnalnya." }
                div class="cols" {
                    table class="stmt" id="neraca-aset" { caption { "Aset" }
                        @for s in &bs.assets { (section_table(&code, &code, s)) }
                        tfoot { tr { th scope="row" { "Jumlah aset" } td class="num" { (rp(bs.total_assets.current)) } } }
                    }
                    table class="stmt" { caption { "Kewajiban dan ekuitas" }
                        @for s in &bs.liabilities { (section_table(&code, &code, s)) }
                        (section_table(&code, &code, &bs.equity))
                        tfoot { tr { th scope="row" { "Jumlah kewajiban dan ekuitas" } td class="num" { (rp(bs.total_liabilities_and_equity.current)) } } }
                    }
                }
                h2 { "Perhitungan hasil usaha " (period.start().format("%d-%m-%Y")) " – " (period.end().format("%d-%m-%Y")) }
                table class="stmt" {
                    @for s in &st.income_statement.sections { (section_table(&code, &code, s)) }
                    tfoot { tr { th scope="row" { "SHU" } td class="num" { (rp(st.income_statement.shu.current)) } } }
                }
            }
            @if let Some(a) = health {
                section { h2 { "Kesehatan koperasi (tahun buku " (prev.map(|p| p.year()).unwrap_or_default()) "): " (a.predikat.label()) ", skor " (a.total.to_string().replace('.', ",")) }
                    div class="table-wrap" { table {
                        thead { tr { th scope="col" { "Aspek" } th scope="col" { "Indikator" } th scope="col" { "Rasio" } th scope="col" { "Asal angka" } th scope="col" { "Nilai" } th scope="col" { "Bobot" } th scope="col" { "Skor" } } }
                        tbody { @for k in &a.components { tr {
                            td { (k.aspect) } td { (k.name) } td class="num" { (k.ratio.to_string().replace('.', ",")) }
                            td { (match &k.source { koperasi::reporting::health::RatioSource::Computed { numerator, denominator, .. } => format!("{} / {}", numerator.to_string().replace('.', ","), denominator.to_string().replace('.', ",")), koperasi::reporting::health::RatioSource::ZeroDenominator { .. } => "penyebut nol".to_owned(), _ => "diisi (kuesioner)".to_owned() })
                                 @if !ratio_inputs(&k.source).is_empty() { " " a href={"#asal-" (k.indicator)} { "jejak" } } }
                            td class="num" { (k.nilai.to_string().replace('.', ",")) } td class="num" { (k.bobot.to_string().replace('.', ",")) } td class="num" { (k.skor.to_string().replace('.', ",")) }
                        } } }
                    } }
                    (health_traces(&code, a))
                }
            }
        }
        section { h2 { "Lainnya" }
            ul { li { a href={"/koperasi/" (code) "/pembinaan"} { "Temuan dan tindak lanjut pembinaan" } }
                 li { a href={"/koperasi/" (code) "/akun/" (b.code(koperasi::PostingRole::Cash))} { "Buku besar kas" } }
                 @if admin { li { a href={"/koperasi/" (code) "/pengguna"} { "Pengguna koperasi" } } } }
        }
    };
    drop(b);
    Ok(page(&coop.name, c, true, &body))
}

#[derive(Deserialize, Default)]
pub(crate) struct AccountsQ {
    kode: Option<String>,
    label: Option<String>,
}

/// `GET /koperasi/{id}/akun?kode=a,b&label=`: the accounts behind a statement line.
pub async fn accounts_page(
    State(state): State<AppState>,
    PageCaller(c): PageCaller,
    Path(id): Path<String>,
    q: Result<Query<AccountsQ>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let (_, coop) = state.authorize(&c.user, &id, Permission::ViewAggregates)?;
    let q = q.map(|q| q.0).unwrap_or_default();
    let b = read(&coop)?;
    let chart = b.ledger().chart();
    let as_of = b.last_date();
    let codes: Vec<&str> = q
        .kode
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter(|s| !s.is_empty())
        .take(200)
        .collect();
    let mut rows = Vec::new();
    for code in codes {
        let Some(a) = chart.get(code) else { continue };
        let bal = b
            .ledger()
            .balance(code, as_of)
            .map_err(|e| ApiError::internal(e.to_string()))?;
        rows.push((a.code.as_str().to_owned(), a.name.clone(), bal));
    }
    let label = q.label.unwrap_or_else(|| "Baris laporan".to_owned());
    let body = html! {
        p class="crumbs" { @if c.user.access.is_city() { a href="/kota" { "Kota" } " › " } a href={"/koperasi/" (coop.code)} { (coop.name) } " › " (label) }
        h1 { (label) }
        p class="sub" { "Akun pada baris ini, saldo per " (as_of.format("%d-%m-%Y")) "." }
        @if rows.is_empty() { p { "Baris ini tidak memiliki akun." } }
        table class="accounts" { thead { tr { th scope="col" { "Kode" } th scope="col" { "Akun" } th scope="col" { "Saldo" } } }
            tbody { @for (code, name, bal) in &rows { tr {
                td { a href={"/koperasi/" (coop.code) "/akun/" (code)} { (code) } } td { a href={"/koperasi/" (coop.code) "/akun/" (code)} { (name) } } td class="num" { (rp(*bal)) }
            } } }
        }
    };
    drop(b);
    Ok(page(&label, &c, false, &body))
}

#[derive(Deserialize, Default)]
pub(crate) struct PageQ {
    page: Option<usize>,
}

const PER_PAGE: usize = 50;

/// `GET /koperasi/{id}/akun/{code}?page=`: the account's journal lines, newest first, paged.
pub async fn account_page(
    State(state): State<AppState>,
    PageCaller(c): PageCaller,
    Path((id, code)): Path<(String, String)>,
    q: Result<Query<PageQ>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let (_, coop) = state.authorize(&c.user, &id, Permission::ViewAggregates)?;
    let pg = q.map_or(1, |q| q.0.page.unwrap_or(1)).max(1);
    let b = read(&coop)?;
    let ledger = b.ledger();
    let acct = ledger
        .chart()
        .get(&code)
        .ok_or_else(|| ApiError::not_found(format!("akun {code:?} tidak ada")))?;
    let gl = ledger
        .general_ledger(&code, ledger.opening_date(), b.last_date())
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let total = gl.rows.len();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let pg = pg.min(pages);
    let rows: Vec<_> = gl
        .rows
        .iter()
        .rev()
        .skip((pg - 1) * PER_PAGE)
        .take(PER_PAGE)
        .collect();
    let body = html! {
        p class="crumbs" { @if c.user.access.is_city() { a href="/kota" { "Kota" } " › " } a href={"/koperasi/" (coop.code)} { (coop.name) } " › " (acct.code.as_str()) }
        h1 { (acct.code.as_str()) " " (acct.name) }
        p class="sub" { (total) " baris jurnal; saldo akhir " strong { (rp(gl.closing)) } " (posisi " (b.last_date().format("%d-%m-%Y")) ")." }
        div class="table-wrap" { table class="entries" id="entries" {
            thead { tr { th scope="col" { "Tanggal" } th scope="col" { "Keterangan" } th scope="col" { "Sumber" } th scope="col" { "Debit" } th scope="col" { "Kredit" } th scope="col" { "Saldo" } } }
            tbody { @for r in &rows { tr {
                td { a href={"/koperasi/" (coop.code) "/jurnal/" (r.entry)} { (r.date.format("%d-%m-%Y")) } }
                td { a href={"/koperasi/" (coop.code) "/jurnal/" (r.entry)} class="entry-link" { (r.memo) } }
                td { code { (r.source) } }
                td class="num" { @if r.side == Side::Debit { (rp(r.amount)) } }
                td class="num" { @if r.side == Side::Credit { (rp(r.amount)) } }
                td class="num" { (rp(r.balance)) }
            } } }
        } }
        nav class="pager" aria-label="Halaman" {
            @if pg > 1 { a href={"?page=" (pg - 1)} rel="prev" { "‹ Lebih baru" } }
            span { "Halaman " (pg) " dari " (pages) }
            @if pg < pages { a href={"?page=" (pg + 1)} rel="next" { "Lebih lama ›" } }
        }
    };
    drop(b);
    Ok(page(&code, &c, false, &body))
}

fn actor_label(
    state: &AppState,
    coop_idx: Option<usize>,
    book: &koperasi::Koperasi,
    actor: koperasi::core::ActorId,
) -> String {
    let user = coop_idx.and_then(|i| state.username_of(i, actor));
    let roles = book
        .access()
        .grant_of(actor)
        .map(|g| {
            g.roles
                .iter()
                .map(|r| format!("{r:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    match user {
        Some(u) => format!("{u} ({roles})"),
        None => format!("{actor} ({roles})"),
    }
}

fn ratio_inputs(src: &koperasi::reporting::health::RatioSource) -> &[(String, Decimal)] {
    use koperasi::reporting::health::RatioSource;
    match src {
        RatioSource::Computed { inputs, .. } | RatioSource::ZeroDenominator { inputs } => inputs,
        _ => &[],
    }
}

/// *Asal angka* of each computed ratio: for every input it read, the trace of that input
/// (date or period, derivation, the parts it is the sum of), each part read from an account
/// linked to the account's journal lines.
fn health_traces(code: &str, a: &koperasi::reporting::health::Assessment) -> Markup {
    let id = |d: Decimal| decimal_id(d);
    html! {
        h3 id="asal-angka" { "Asal angka" }
        p class="hint" { "Untuk setiap rasio: input yang dibacanya dan dari mana setiap input berasal. Akun dapat diklik sampai ke jurnalnya." }
        @for k in &a.components {
            @let inputs = ratio_inputs(&k.source);
            @if !inputs.is_empty() {
                details class="trace" id={"asal-" (k.indicator)} {
                    summary { (k.name) " — rasio " (id(k.ratio)) }
                    @for (key, value) in inputs {
                        @match a.traces.get(key) {
                            Some(tr) => {
                                p class="trace-head" { strong { (key) } " = " (id(*value)) " · " (tr.when()) " · " (tr.derivation) }
                                @if !tr.parts.is_empty() {
                                    div class="table-wrap" { table class="trace-parts" {
                                        thead { tr { th scope="col" { "Sumber" } th scope="col" { "Akun" } th scope="col" { "Uraian" } th scope="col" class="num" { "Saldo / arus" } th scope="col" class="num" { "Bobot (%)" } th scope="col" class="num" { "Jumlah" } } }
                                        tbody { @for p in &tr.parts { tr {
                                            td { (p.source) }
                                            td { @if let Some(acc) = &p.account { a href={"/koperasi/" (code) "/akun/" (urlenc(acc))} { (acc) } } }
                                            td { (p.label) }
                                            td class="num" { (id(p.basis)) } td class="num" { (id(p.weight)) } td class="num" { (id(p.amount)) }
                                        } } }
                                    } }
                                }
                            }
                            None => { p class="trace-head" { strong { (key) } " = " (id(*value)) " (diisi langsung)" } }
                        }
                    }
                }
            }
        }
    }
}

/// `GET /koperasi/{id}/jurnal/{entry}`: an entry with source, actor, approver and its audit
/// inclusion proof (verified by the server, and again in the browser by `app.js`).
pub async fn entry_page(
    State(state): State<AppState>,
    PageCaller(c): PageCaller,
    Path((id, entry)): Path<(String, String)>,
) -> PageResult {
    let (idx, coop) = state.authorize(&c.user, &id, Permission::ViewAggregates)?;
    let eid: EntryId = entry
        .parse()
        .map_err(|_| ApiError::not_found("jurnal tidak ditemukan"))?;
    let b = read(&coop)?;
    let ledger = b.ledger();
    let e = ledger
        .entry(eid)
        .ok_or_else(|| ApiError::not_found(format!("jurnal {eid} tidak ditemukan")))?;
    let proof = views::proof(&b, eid)?;
    let approver = e
        .source()
        .strip_prefix("loan:")
        .and_then(|s| s.split('/').next())
        .and_then(|l| l.parse::<koperasi::core::LoanId>().ok())
        .and_then(|l| b.applications().get(&l))
        .and_then(|a| a.approved)
        .map(|(maker, checker)| {
            let m = actor_label(&state, Some(idx), &b, maker);
            match checker {
                Some(ch) => format!(
                    "disetujui {m}, diperiksa {}",
                    actor_label(&state, Some(idx), &b, ch)
                ),
                None => format!("disetujui {m}"),
            }
        });
    let body = html! {
        p class="crumbs" { @if c.user.access.is_city() { a href="/kota" { "Kota" } " › " } a href={"/koperasi/" (coop.code)} { (coop.name) } " › jurnal" }
        h1 { "Jurnal " (e.date().format("%d-%m-%Y")) }
        dl class="facts" {
            dt { "Keterangan" } dd { (e.memo()) }
            dt { "Dokumen sumber" } dd { code id="source" { (e.source()) } }
            dt { "Dicatat oleh" } dd id="actor" { (actor_label(&state, Some(idx), &b, e.actor())) }
            dt { "Persetujuan" } dd id="approver" { (approver.unwrap_or_else(|| "— (tidak memerlukan persetujuan)".to_owned())) }
            dt { "Id jurnal" } dd { code { (eid) } }
        }
        table class="lines" { thead { tr { th scope="col" { "Akun" } th scope="col" { "Unit" } th scope="col" { "Anggota" } th scope="col" { "Debit" } th scope="col" { "Kredit" } } }
            tbody { @for l in e.lines() { tr {
                td { a href={"/koperasi/" (coop.code) "/akun/" (l.account.as_str())} { (l.account.as_str()) " " (ledger.chart().get(l.account.as_str()).map(|a| a.name.clone()).unwrap_or_default()) } }
                td { (l.dims.unit.map(|u| views::unit_name(Some(u))).unwrap_or_default()) }
                td { @if let Some(m) = l.dims.member { (member_link(&state, &c, &coop, &b, m)) } }
                td class="num" { @if l.side == Side::Debit { (rp(l.amount)) } }
                td class="num" { @if l.side == Side::Credit { (rp(l.amount)) } }
            } } }
        }
        section id="proof" class="proof" data-leaf=(proof.leaf_hex) data-index=(proof.leaf_index) data-size=(proof.tree_size) data-path=(proof.path.join(",")) data-root=(proof.root) {
            h2 { "Bukti audit (bukti inklusi Merkle, RFC 9162)" }
            p id="proof-server" class=(if proof.verified { "ok" } else { "bad" }) {
                @if proof.verified { "✓ Terverifikasi oleh server: jurnal ini adalah daun ke-" (proof.leaf_index) " dari log audit berukuran " (proof.tree_size) "." }
                @else { "✗ Bukti tidak cocok dengan kepala log audit." }
            }
            p id="proof-browser" class="pending" { "Memeriksa ulang di peramban…" }
            dl class="facts mono" {
                dt { "Akar log (" (proof.tree_size) " daun)" } dd { (proof.root) }
                dt { "Hash daun" } dd { (proof.leaf_hash) }
                dt { "Jalur (" (proof.path.len()) " hash)" } dd { ol { @for p in &proof.path { li { (p) } } } }
            }
            p { a href={"/api/koperasi/" (coop.code) "/audit/checkpoint"} { "Checkpoint log audit (teks)" } }
        }
    };
    drop(b);
    Ok(page("Jurnal", &c, false, &body))
}

fn member_link(
    state: &AppState,
    c: &Caller,
    coop: &Coop,
    b: &koperasi::Koperasi,
    m: MemberId,
) -> Markup {
    let label = views::member_label(state, &c.user, coop, b, m);
    html! { a href={"/koperasi/" (coop.code) "/anggota/" (m)} { (label) } }
}

/// `GET /koperasi/{id}/anggota/{member}`: a member's statement (masked for the city office;
/// an anggota sees only their own).
pub async fn member_page(
    State(state): State<AppState>,
    PageCaller(c): PageCaller,
    Path((id, member)): Path<(String, String)>,
) -> PageResult {
    let m: MemberId = member
        .parse()
        .map_err(|_| ApiError::not_found("anggota tidak ditemukan"))?;
    let own = matches!(&c.user.access, Access::Coop { member: Some(x), .. } if *x == m);
    let (_, coop) = if own {
        state.authorize(&c.user, &id, Permission::ViewOwnData)?
    } else if matches!(
        c.user.access,
        Access::Coop {
            member: Some(_),
            ..
        }
    ) {
        return Err(ApiError::forbidden("anggota hanya dapat melihat datanya sendiri").into());
    } else {
        state.authorize_read(&c.user, &id)?
    };
    let v = member_json(&state, &c.user, &coop, m)?;
    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_owned();
    let body = html! {
        p class="crumbs" { a href={"/koperasi/" (coop.code)} { (coop.name) } " › anggota" }
        h1 { "Rekening anggota: " (s("name")) }
        dl class="facts" { dt { "NIK" } dd id="nik" { (s("nik")) } dt { "Status" } dd { (s("status")) } }
        @if v.get("masked").and_then(serde_json::Value::as_bool).unwrap_or(false) { p class="hint" { "Data pribadi disamarkan untuk peran Anda." } }
        h2 { "Simpanan" }
        table { tbody { @for x in v.get("savings").and_then(|x| x.as_array()).cloned().unwrap_or_default() {
            tr { td { (x.get("kind").and_then(|k| k.as_str()).unwrap_or("")) } td class="num" { (x.get("balance").and_then(|b| b.as_str()).and_then(|b| b.parse::<Rupiah>().ok()).map(rp).unwrap_or_default()) } }
        } } }
        h2 { "Pinjaman" }
        table { tbody { @for x in v.get("loans").and_then(|x| x.as_array()).cloned().unwrap_or_default() {
            tr { td { code { (x.get("loan").and_then(|k| k.as_str()).unwrap_or("")) } } td { (x.get("status").and_then(|k| k.as_str()).unwrap_or("")) } td class="num" { (x.get("outstanding_principal").and_then(|b| b.as_str()).and_then(|b| b.parse::<Rupiah>().ok()).map(rp).unwrap_or_default()) } }
        } } }
    };
    Ok(page("Anggota", &c, false, &body))
}

/// `GET /koperasi/{id}/pembinaan`: mentoring findings and follow-ups.
pub async fn findings_page(
    State(state): State<AppState>,
    PageCaller(c): PageCaller,
    Path(id): Path<String>,
) -> PageResult {
    let (_, coop) = state.authorize_read(&c.user, &id)?;
    if let Access::Coop { role, member, .. } = &c.user.access {
        use koperasi::membership::Role;
        if member.is_some()
            || matches!(
                role,
                Role::Teller
                    | Role::Manager
                    | Role::Member
                    | Role::Auditor
                    | Role::ExternalSupervisor
            )
        {
            return Err(ApiError::forbidden(
                "temuan pembinaan hanya untuk dinas, pengurus dan pengawas",
            )
            .into());
        }
    }
    let list: Vec<_> = lock(&state.0.findings)?
        .iter()
        .filter(|f| f.coop == coop.code)
        .cloned()
        .collect();
    let body = html! {
        p class="crumbs" { @if c.user.access.is_city() { a href="/kota" { "Kota" } " › " } a href={"/koperasi/" (coop.code)} { (coop.name) } " › pembinaan" }
        h1 { "Pembinaan: " (coop.name) }
        div id="live" {
            @if list.is_empty() { p { "Belum ada temuan." } }
            table class="findings" { thead { tr { th scope="col" { "No." } th scope="col" { "Waktu (UTC)" } th scope="col" { "Oleh" } th scope="col" { "Isi" } th scope="col" { "Tenggat" } th scope="col" { "Status" } } }
                tbody { @for f in &list { tr {
                    td { "#" (f.id) "." (f.revision) } td { (f.at.format("%d-%m-%Y %H:%M")) } td { (f.author) } td { (f.text) }
                    td { (f.due.map(|d| d.format("%d-%m-%Y").to_string()).unwrap_or_default()) } td { (f.status) }
                } } }
            }
        }
        @if c.user.access == Access::City {
            h2 { "Catat temuan atau tindak lanjut" }
            form method="post" action={"/koperasi/" (coop.code) "/pembinaan"} class="stack" {
                input type="hidden" name="_csrf" value=(c.csrf);
                label for="text" { "Isi" } textarea id="text" name="text" required maxlength="2000" {}
                label for="due" { "Tenggat" } input id="due" name="due" type="date";
                label for="status" { "Status" } select id="status" name="status" { option { "terbuka" } option { "proses" } option { "selesai" } }
                label for="follows" { "Tindak lanjut dari temuan no. (kosongkan untuk temuan baru)" } input id="follows" name="follows" inputmode="numeric";
                button type="submit" { "Simpan" }
            }
        }
    };
    Ok(page("Pembinaan", &c, true, &body))
}

#[derive(Deserialize)]
struct FindingForm {
    text: String,
    due: Option<String>,
    status: Option<String>,
    follows: Option<String>,
}

/// `POST /koperasi/{id}/pembinaan` (form, CSRF-checked by the middleware).
pub async fn findings_post(
    State(state): State<AppState>,
    PageCaller(c): PageCaller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> PageResult {
    crate::api::can_read_findings(&state, &c, &id)?;
    let f: FindingForm = serde_urlencoded::from_bytes(&body)
        .map_err(|e| ApiError::unprocessable(format!("formulir: {e}")))?;
    let due = f
        .due
        .filter(|s| !s.is_empty())
        .map(|s| {
            NaiveDate::parse_from_str(&s, "%Y-%m-%d")
                .map_err(|_| ApiError::unprocessable("tenggat: YYYY-MM-DD"))
        })
        .transpose()?;
    let follows = f
        .follows
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim()
                .parse::<u64>()
                .map_err(|_| ApiError::unprocessable("nomor temuan"))
        })
        .transpose()?;
    add_finding_blocking(
        &state,
        &c,
        &id,
        FindingBody {
            text: f.text,
            due,
            status: f.status,
            follows,
        },
    )
    .await?;
    Ok(Redirect::to(&format!("/koperasi/{id}/pembinaan")).into_response())
}

/// `GET /assets/app.js`.
pub async fn app_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        APP_JS,
    )
        .into_response()
}

/// `GET /assets/app.css`.
pub async fn app_css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        APP_CSS,
    )
        .into_response()
}

/// Unknown page: 404 as a page (JSON under `/api/`).
pub async fn not_found(req: Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        return ApiError::not_found("rute tidak ada").into_response();
    }
    PageError(ApiError::not_found("Halaman tidak ada.")).into_response()
}
