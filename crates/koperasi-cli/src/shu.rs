//! `koperasi shu`: SHU (sisa hasil usaha) allocation and per-member distribution.
//!
//! Input file of `shu distribute` (JSON; amounts and percentages are decimal strings or JSON
//! integers — floats are rejected because they cannot carry amounts exactly):
//!
//! ```json
//! {"shu": "40000000",
//!  "allocation": [{"name": "jasa_modal", "percent": "25", "pool": "capital"},
//!                 {"name": "jasa_usaha", "percent": "30", "pool": "patronage"},
//!                 {"name": "cadangan", "percent": "45"}],
//!  "totals": {"capital": "60000000", "patronage": "100000000"},
//!  "members": [{"id": "A-001", "capital": "3000000", "patronage": "1000000"}],
//!  "rounding": {"mode": "down", "step": "1"}}
//! ```
//!
//! * `allocation[].pool`: `capital` (jasa modal) or `patronage` (jasa usaha); absent for a
//!   fund, whose kind follows from its name (`cadangan`, `dana_pengurus`, `dana_karyawan`,
//!   `dana_pendidikan`, `dana_sosial`, `dana_pembangunan_daerah_kerja`, `bagian_desa`; others
//!   are "other funds"). A pool line needs a `cadangan` line to receive the rounding residue.
//! * `totals` (optional): published totals of the bases; default Σ over `members`. When they
//!   exceed that sum, the other members' part of each pool is shown as `unpaid`.
//! * `rounding` (optional): `mode` `down` (floor each member, residue to cadangan; the
//!   default) or `largest-remainder` (each pool paid out exactly); `step` default `1`.
//! * Optional extras: `non_member_shu` (the part of `shu` earned from non-members: only the
//!   member part feeds the pools), `reserve_balance` (for a loss year), `departed`
//!   (`exclude`/`include`) with `members[].left_during_year`, `undistributed` (`"reserve"`:
//!   consent that a member pool nobody has a basis for — no members, or every capital or
//!   patronage basis zero — goes to cadangan as a named "undistributed" amount; without it
//!   such a pool is an error, because it is not a rounding residue).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use koperasi::core::{Decimal, Rupiah};
use koperasi::shu::{
    AllocationLine, DepartedMembers, Distribution, LineKind, LossYear, MemberContribution, Pool,
    RoundingMethod, ShareRounding, ShuOutcome, ShuPolicy, ShuYear, Totals,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::output::{CliError, Output};

#[derive(Debug, Subcommand)]
pub(crate) enum ShuCommand {
    /// Allocate the SHU of the year to the funds and distribute jasa modal and jasa usaha to
    /// the members, exact to the rupiah (the rounding residue is shown and goes to cadangan).
    Distribute {
        /// JSON file: shu, allocation, optional totals, members, optional rounding.
        #[arg(long)]
        input: PathBuf,
    },
}

/// An amount: a decimal string or a JSON integer (never a float).
#[derive(Debug, Clone, Copy)]
struct Amount(Rupiah);

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error as _;
        let v = Value::deserialize(d)?;
        let text = match &v {
            Value::String(s) => s.trim().to_owned(),
            Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
            other => {
                return Err(D::Error::custom(format!(
                    "expected an amount as a decimal string or an integer (floats cannot carry money exactly), got {other}"
                )));
            }
        };
        text.parse::<Rupiah>()
            .map(Amount)
            .map_err(|e| D::Error::custom(e.to_string()))
    }
}

fn rupiah(a: Option<Amount>) -> Option<Rupiah> {
    a.map(|Amount(r)| r)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    shu: Amount,
    allocation: Vec<LineIn>,
    #[serde(default)]
    totals: Option<TotalsIn>,
    #[serde(default)]
    members: Vec<MemberIn>,
    #[serde(default)]
    rounding: Option<RoundingIn>,
    #[serde(default)]
    non_member_shu: Option<Amount>,
    #[serde(default)]
    reserve_balance: Option<Amount>,
    #[serde(default)]
    departed: Option<String>,
    #[serde(default)]
    undistributed: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LineIn {
    name: String,
    percent: Value,
    #[serde(default)]
    pool: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TotalsIn {
    #[serde(default)]
    capital: Option<Amount>,
    #[serde(default)]
    patronage: Option<Amount>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MemberIn {
    id: String,
    #[serde(default)]
    capital: Option<Amount>,
    #[serde(default)]
    patronage: Option<Amount>,
    #[serde(default)]
    left_during_year: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoundingIn {
    #[serde(default)]
    mode: Option<String>,
    #[serde(default)]
    step: Option<Amount>,
}

pub(crate) fn run(cmd: &ShuCommand, out: &Output) -> Result<ExitCode, CliError> {
    match cmd {
        ShuCommand::Distribute { input } => {
            let (policy, year, members, undistributed_ok) = read_input(input)?;
            let outcome = policy
                .distribute(&year, &members)
                .map_err(CliError::input)?;
            match outcome {
                ShuOutcome::Distributed(d) => {
                    if !undistributed_ok {
                        check_undistributed(input, &d, members.len())?;
                    }
                    out.emit(&distribution_json(&d), || distribution_text(&d));
                }
                ShuOutcome::Loss(l) => out.emit(&loss_json(&l), || loss_text(&l)),
                _ => {
                    return Err(CliError::new(
                        "unsupported_outcome",
                        "this version of the CLI cannot show the result",
                    ));
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A pool nobody has a basis for is an error unless the input consents to sending it to
/// cadangan (`"undistributed": "reserve"`).
fn check_undistributed(
    path: &Path,
    d: &Distribution<String>,
    members: usize,
) -> Result<(), CliError> {
    let Some(p) = d.pools.iter().find(|p| p.undistributed.is_positive()) else {
        return Ok(());
    };
    let (name, basis) = if p.pool == Pool::Capital {
        ("jasa modal", "capital")
    } else {
        ("jasa usaha", "patronage")
    };
    let why = if d.members.is_empty() {
        if members == 0 {
            "no member is listed".to_owned()
        } else {
            "every listed member left during the year".to_owned()
        }
    } else {
        format!("the {basis} of all {} members is zero", d.members.len())
    };
    Err(CliError::new(
        "undistributed_pool",
        format!(
            "{}: the {name} pool {:?} ({}) cannot be distributed: {why}; it is not a rounding residue. Add \"undistributed\": \"reserve\" to the input to send it to {} as undistributed",
            path.display(),
            p.line,
            p.amount,
            d.residue_to.as_deref().unwrap_or("cadangan"),
        ),
    ))
}

fn invalid(path: &Path, msg: impl std::fmt::Display) -> CliError {
    CliError::new("invalid_input", format!("{}: {msg}", path.display()))
}

fn percent(path: &Path, line: &str, v: &Value) -> Result<Decimal, CliError> {
    let bad = || {
        invalid(
            path,
            format!("allocation {line:?}: percent must be a decimal string or an integer, got {v}"),
        )
    };
    match v {
        Value::String(s) => Decimal::from_str_exact(s.trim()).map_err(|_| bad()),
        Value::Number(n) => n.as_i64().map(Decimal::from).ok_or_else(bad),
        _ => Err(bad()),
    }
}

type Parsed = (ShuPolicy, ShuYear, Vec<MemberContribution<String>>, bool);

fn read_input(path: &Path) -> Result<Parsed, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io(path, &e))?;
    let input: Input = serde_json::from_str(&text).map_err(|e| invalid(path, e))?;

    let mut lines = Vec::with_capacity(input.allocation.len());
    for l in &input.allocation {
        let pct = percent(path, &l.name, &l.percent)?;
        let kind = match l.pool.as_deref().map(str::trim) {
            None => LineKind::from_name(&l.name),
            Some("capital" | "jasa_modal") => LineKind::CapitalPool,
            Some("patronage" | "jasa_usaha") => LineKind::PatronagePool,
            Some(other) => {
                return Err(CliError::new(
                    "unknown_pool",
                    format!(
                        "allocation {:?}: unknown pool {other:?} (expected \"capital\" or \"patronage\")",
                        l.name
                    ),
                ));
            }
        };
        lines.push(AllocationLine::new(l.name.clone(), pct, kind));
    }
    let mut policy = ShuPolicy::new(lines).map_err(CliError::input)?;

    if let Some(r) = &input.rounding {
        let method = match r.mode.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None | Some("down" | "floor") => RoundingMethod::Floor,
            Some("largest-remainder" | "largest_remainder" | "exact") => {
                RoundingMethod::LargestRemainder
            }
            Some(other) => {
                return Err(CliError::new(
                    "unknown_rounding_mode",
                    format!(
                        "rounding mode {other:?} is not supported for SHU (expected \"down\" or \"largest-remainder\": a member amount is never rounded up beyond its exact share)"
                    ),
                ));
            }
        };
        let step = rupiah(r.step).unwrap_or(Rupiah::ONE);
        policy = policy.with_rounding(ShareRounding::new(method, step).map_err(CliError::input)?);
    }
    match input.departed.as_deref() {
        None | Some("exclude") => {}
        Some("include") => policy = policy.with_departed(DepartedMembers::Include),
        Some(other) => {
            return Err(invalid(
                path,
                format!("departed {other:?}: expected \"exclude\" or \"include\""),
            ));
        }
    }

    let undistributed_ok = match input.undistributed.as_deref() {
        None => false,
        Some("reserve" | "cadangan") => true,
        Some(other) => {
            return Err(invalid(
                path,
                format!("undistributed {other:?}: expected \"reserve\" (or leave it out)"),
            ));
        }
    };
    let mut year = ShuYear::new(input.shu.0);
    if let Some(n) = rupiah(input.non_member_shu) {
        year = year.with_non_member_part(n);
    }
    if let Some(r) = rupiah(input.reserve_balance) {
        year = year.with_reserve_balance(r);
    }
    if let Some(t) = input.totals {
        year = year.with_totals(Totals {
            capital: rupiah(t.capital),
            patronage: rupiah(t.patronage),
            ..Totals::default()
        });
    }

    let members = input
        .members
        .into_iter()
        .map(|m| {
            let c = MemberContribution::simple(
                m.id,
                rupiah(m.capital).unwrap_or(Rupiah::ZERO),
                rupiah(m.patronage).unwrap_or(Rupiah::ZERO),
            );
            if m.left_during_year { c.departed() } else { c }
        })
        .collect();
    Ok((policy, year, members, undistributed_ok))
}

fn amount(r: Rupiah) -> Value {
    Value::String(r.plain().to_string())
}

fn pool_field(
    d: &Distribution<String>,
    pool: Pool,
    f: fn(&koperasi::shu::PoolResult) -> Rupiah,
) -> Value {
    amount(d.pool(pool).map_or(Rupiah::ZERO, f))
}

/// Zero per pool, for the loss shape.
fn zero_pools() -> Value {
    json!({"capital": "0.00", "patronage": "0.00"})
}

fn distribution_json(d: &Distribution<String>) -> Value {
    json!({
        "outcome": "distributed",
        "shu": amount(d.shu),
        "funds": d.lines.iter().map(|l| json!({
            "name": l.name,
            "kind": serde_json::to_value(l.kind).unwrap_or(Value::Null),
            "percent": l.percent.normalize().to_string(),
            "amount": amount(l.amount),
            "residue_received": amount(l.residue_received),
            "undistributed_received": amount(l.undistributed_received),
        })).collect::<Vec<_>>(),
        "members": d.members.iter().map(|m| json!({
            "id": m.id,
            "capital": amount(m.capital),
            "patronage": amount(m.patronage),
            "total": amount(m.total),
        })).collect::<Vec<_>>(),
        "residue": {
            "capital": pool_field(d, Pool::Capital, |p| p.residue),
            "patronage": pool_field(d, Pool::Patronage, |p| p.residue),
        },
        "residue_to": d.residue_to,
        "undistributed": {
            "capital": pool_field(d, Pool::Capital, |p| p.undistributed),
            "patronage": pool_field(d, Pool::Patronage, |p| p.undistributed),
        },
        "unpaid": {
            "capital": pool_field(d, Pool::Capital, |p| p.unpaid),
            "patronage": pool_field(d, Pool::Patronage, |p| p.unpaid),
        },
        "excluded": d.excluded,
        "loss": Value::Null,
    })
}

fn distribution_text(d: &Distribution<String>) -> String {
    let mut s = format!("Pembagian SHU {}\n\nAlokasi:\n", d.shu);
    for l in &d.lines {
        let _ = writeln!(
            s,
            "  {:<32} {:>6}%  {:>18}",
            l.name,
            l.percent.normalize(),
            l.amount.to_string()
        );
    }
    let _ = write!(
        s,
        "\n  {:<12} {:>18} {:>18} {:>18}\n",
        "Anggota", "Jasa modal", "Jasa usaha", "Jumlah"
    );
    for m in &d.members {
        let _ = writeln!(
            s,
            "  {:<12} {:>18} {:>18} {:>18}",
            m.id,
            m.capital.to_string(),
            m.patronage.to_string(),
            m.total.to_string()
        );
    }
    let get =
        |pool, f: fn(&koperasi::shu::PoolResult) -> Rupiah| d.pool(pool).map_or(Rupiah::ZERO, f);
    let _ = write!(
        s,
        "\nSelisih pembulatan: jasa modal {}, jasa usaha {}",
        get(Pool::Capital, |p| p.residue),
        get(Pool::Patronage, |p| p.residue)
    );
    if let Some(to) = &d.residue_to {
        let _ = write!(s, " (ke {to})");
    }
    let (nc, np) = (
        get(Pool::Capital, |p| p.undistributed),
        get(Pool::Patronage, |p| p.undistributed),
    );
    if !nc.is_zero() || !np.is_zero() {
        let _ = write!(
            s,
            "\nTidak terbagi (tidak ada anggota dengan dasar pembagian, ke {}): jasa modal {nc}, jasa usaha {np}",
            d.residue_to.as_deref().unwrap_or("cadangan")
        );
    }
    let (uc, up) = (
        get(Pool::Capital, |p| p.unpaid),
        get(Pool::Patronage, |p| p.unpaid),
    );
    if !uc.is_zero() || !up.is_zero() {
        let _ = write!(
            s,
            "\nBagian anggota lain (tidak tercantum): jasa modal {uc}, jasa usaha {up}"
        );
    }
    if !d.excluded.is_empty() {
        let _ = write!(
            s,
            "\nTidak menerima (keluar selama tahun buku): {}",
            d.excluded.join(", ")
        );
    }
    s
}

fn loss_json(l: &LossYear) -> Value {
    json!({
        "outcome": "loss",
        "shu": amount(l.loss.negated()),
        "funds": [],
        "members": [],
        "residue": zero_pools(),
        "residue_to": Value::Null,
        "undistributed": zero_pools(),
        "unpaid": zero_pools(),
        "excluded": [],
        "loss": {
            "amount": amount(l.loss),
            "reserve_needed": amount(l.reserve_needed),
            "reserve_balance": l.coverage.map(|c| amount(c.reserve_balance)),
            "covered": l.coverage.map(|c| amount(c.covered)),
            "uncovered": l.coverage.map(|c| amount(c.uncovered)),
        },
    })
}

fn loss_text(l: &LossYear) -> String {
    let mut s = format!(
        "Tahun buku rugi {}: SHU tidak dibagikan.\nCadangan yang dibutuhkan untuk menutup rugi: {}",
        l.loss, l.reserve_needed
    );
    if let Some(c) = l.coverage {
        let _ = write!(
            s,
            "\nSaldo cadangan {}: menutup {}, sisa rugi {}",
            c.reserve_balance, c.covered, c.uncovered
        );
    }
    s
}
