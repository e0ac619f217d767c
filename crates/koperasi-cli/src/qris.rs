//! `koperasi qris`: parse, convert and build QRIS payloads.

use std::process::ExitCode;

use clap::Subcommand;
use koperasi::core::Rupiah;
use koperasi::qris::{
    Amount, DataObject, Error, Fee, Issue, MerchantCriteria, Mode, Percentage, Qris, QrisBuilder,
    TagPath,
};
use serde_json::{Value, json};

use crate::output::{CliError, Output};

#[derive(Debug, Subcommand)]
#[allow(
    clippy::large_enum_variant,
    reason = "command-line arguments, parsed once per process"
)]
pub(crate) enum QrisCommand {
    /// Parse and validate a payload: every field, errors and warnings. Exit code 1 if invalid
    /// (warnings allowed).
    Parse {
        /// The QRIS payload (the text inside the QR code).
        payload: String,
    },
    /// Turn a (static) payload into a dynamic one for one payment: 01 = 12, amount 54, optional
    /// tip or fee; everything else kept; CRC recomputed.
    Dynamic {
        /// The source payload (its CRC must be correct).
        payload: String,
        /// Transaction amount (e.g. 25000 or 25000.50).
        #[arg(long)]
        amount: String,
        /// Fixed convenience fee (biaya layanan tetap), e.g. 1000.
        #[arg(long, conflicts_with_all = ["fee_percent", "tip_prompt"])]
        fee_fixed: Option<String>,
        /// Percentage convenience fee, 00.01 to 99.99 (e.g. 2.5).
        #[arg(long, conflicts_with_all = ["fee_fixed", "tip_prompt"])]
        fee_percent: Option<String>,
        /// Let the paying app ask the customer for a tip.
        #[arg(long, conflicts_with_all = ["fee_fixed", "fee_percent"])]
        tip_prompt: bool,
        /// Reference label (62.05), e.g. an invoice number (at most 25 characters).
        #[arg(long)]
        reference: Option<String>,
    },
    /// Build a payload from its parts (static unless --amount is given).
    Build {
        /// Merchant name (59, at most 25 characters).
        #[arg(long)]
        merchant_name: String,
        /// Merchant city (60, at most 15 characters).
        #[arg(long)]
        city: String,
        /// Merchant category code (52, 4 digits).
        #[arg(long)]
        mcc: String,
        /// National Merchant ID (51.02), e.g. ID1020012345678.
        #[arg(long)]
        nmid: String,
        /// Merchant criteria: UMI, UKE, UME, UBE or URE.
        #[arg(long, default_value = "URE")]
        criteria: String,
        /// Postal code (61; required by QRIS).
        #[arg(long)]
        postal_code: Option<String>,
        /// Transaction amount: makes the payload dynamic.
        #[arg(long)]
        amount: Option<String>,
        /// Fixed convenience fee.
        #[arg(long, conflicts_with_all = ["fee_percent", "tip_prompt"])]
        fee_fixed: Option<String>,
        /// Percentage convenience fee.
        #[arg(long, conflicts_with_all = ["fee_fixed", "tip_prompt"])]
        fee_percent: Option<String>,
        /// Let the paying app ask for a tip.
        #[arg(long, conflicts_with_all = ["fee_fixed", "fee_percent"])]
        tip_prompt: bool,
        /// Acquirer template 26: GUID (reverse domain), with --pan and --merchant-id.
        #[arg(long, requires_all = ["pan", "merchant_id"])]
        acquirer_guid: Option<String>,
        /// Merchant PAN of template 26.
        #[arg(long, requires = "acquirer_guid")]
        pan: Option<String>,
        /// Merchant ID of template 26.
        #[arg(long, requires = "acquirer_guid")]
        merchant_id: Option<String>,
        /// Terminal label (62.07).
        #[arg(long)]
        terminal_label: Option<String>,
        /// Bill number (62.01).
        #[arg(long)]
        bill_number: Option<String>,
        /// Reference label (62.05).
        #[arg(long)]
        reference: Option<String>,
        /// Country code (58).
        #[arg(long, default_value = "ID")]
        country: String,
        /// Currency (53, ISO 4217 numeric).
        #[arg(long, default_value = "360")]
        currency: String,
    },
}

pub(crate) fn run(cmd: &QrisCommand, out: &Output) -> Result<ExitCode, CliError> {
    match cmd {
        QrisCommand::Parse { payload } => parse(payload, out),
        QrisCommand::Dynamic {
            payload,
            amount,
            fee_fixed,
            fee_percent,
            tip_prompt,
            reference,
        } => {
            let q = Qris::parse(payload).map_err(CliError::input)?;
            let amount: Amount = amount.parse().map_err(CliError::input)?;
            let fee = fee_of(fee_fixed.as_deref(), fee_percent.as_deref(), *tip_prompt)?;
            let p = match reference {
                Some(r) => q.to_dynamic_with_reference(&amount, fee.as_ref(), r),
                None => q.to_dynamic(&amount, fee.as_ref()),
            }
            .map_err(CliError::input)?;
            emit_payload(&p, out);
            Ok(ExitCode::SUCCESS)
        }
        QrisCommand::Build {
            merchant_name,
            city,
            mcc,
            nmid,
            criteria,
            postal_code,
            amount,
            fee_fixed,
            fee_percent,
            tip_prompt,
            acquirer_guid,
            pan,
            merchant_id,
            terminal_label,
            bill_number,
            reference,
            country,
            currency,
        } => {
            let criteria: MerchantCriteria = criteria
                .parse()
                .map_err(|e| CliError::new("invalid_criteria", format!("{e}")))?;
            let mut b = QrisBuilder::new(merchant_name, city, mcc)
                .national(nmid, criteria)
                .country(country)
                .currency(currency);
            if let (Some(g), Some(p), Some(m)) = (acquirer_guid, pan, merchant_id) {
                b = b.merchant_account(26, g, p, m, criteria);
            }
            if let Some(p) = postal_code {
                b = b.postal_code(p);
            }
            if let Some(a) = amount {
                b = b.amount(&a.parse().map_err(CliError::input)?);
            }
            if let Some(f) = fee_of(fee_fixed.as_deref(), fee_percent.as_deref(), *tip_prompt)? {
                b = b.fee(&f);
            }
            for (sub, v) in [(1u8, bill_number), (5, reference), (7, terminal_label)] {
                if let Some(v) = v {
                    b = b.additional(sub, v);
                }
            }
            let p = b.build().map_err(CliError::input)?;
            emit_payload(&p, out);
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Prints a payload the command made, with the warnings `qris parse` gives for it (on
/// stderr as notes in text mode, so that stdout holds only the payload).
fn emit_payload(p: &str, out: &Output) {
    let warnings: Vec<Value> = Qris::parse_lenient(p)
        .map(|q| q.report().warnings().map(issue_json).collect())
        .unwrap_or_default();
    out.emit(&json!({ "payload": p, "warnings": warnings }), || {
        for w in &warnings {
            out.note(&format!(
                "peringatan {} [{}]: {}",
                w["path"].as_str().unwrap_or(""),
                w["code"].as_str().unwrap_or(""),
                w["message"].as_str().unwrap_or("")
            ));
        }
        p.to_owned()
    });
}

fn fee_of(
    fixed: Option<&str>,
    percent: Option<&str>,
    tip_prompt: bool,
) -> Result<Option<Fee>, CliError> {
    Ok(match (fixed, percent, tip_prompt) {
        (Some(f), _, _) => Some(Fee::Fixed(f.parse().map_err(CliError::input)?)),
        (None, Some(p), _) => Some(Fee::Percent(
            p.parse::<Percentage>().map_err(CliError::input)?,
        )),
        (None, None, true) => Some(Fee::TipPrompt),
        (None, None, false) => None,
    })
}

fn issue_json(i: &Issue) -> Value {
    json!({
        "code": i.code().as_str(),
        "path": i.path().to_string(),
        "message": i.message(),
        "offset": i.offset(),
    })
}

fn error_json(e: &Error) -> Value {
    json!({
        "code": e.code(),
        "path": e.path().map(|p: TagPath| p.to_string()),
        "message": e.to_string(),
        "offset": e.offset(),
    })
}

fn tree(o: &DataObject<'_>) -> Value {
    let mut v = json!({
        "id": format!("{:02}", o.tag()),
        "path": o.path().to_string(),
        "length": o.char_len(),
        "offset": o.offset(),
        "value": o.value(),
    });
    if o.is_template() {
        v["children"] = Value::Array(o.children().map(|c| tree(&c)).collect());
    }
    if o.is_opaque() {
        v["opaque"] = Value::Bool(true);
    }
    v
}

/// Every top-level key of `qris parse --json`, whatever happens: `null` (or empty lists)
/// where the payload could not be read that far.
fn parse_json(q: Option<&Qris<'_>>, valid: bool, errors: &[Value], warnings: &[Value]) -> Value {
    json!({
        "valid": valid,
        "payload_format_indicator": q.and_then(Qris::payload_format_indicator),
        "point_of_initiation": q.and_then(|q| q.point_of_initiation().map(|p| p.name())),
        "point_of_initiation_code": q.and_then(|q| q.value(1)),
        "merchant_name": q.and_then(Qris::merchant_name),
        "merchant_city": q.and_then(Qris::merchant_city),
        "country": q.and_then(Qris::country),
        "currency": q.and_then(Qris::currency),
        "amount": q.and_then(Qris::amount),
        "tip_indicator": q.and_then(|q| q.value(55)),
        "fee_fixed": q.and_then(Qris::fee_fixed),
        "fee_percentage": q.and_then(Qris::fee_percentage),
        "mcc": q.and_then(Qris::mcc),
        "postal_code": q.and_then(Qris::postal_code),
        "nmid": q.and_then(Qris::nmid),
        "merchant_criteria": q.and_then(Qris::merchant_criteria_str),
        "merchant_accounts": q.map(|q| q.merchant_accounts().map(|m| json!({
            "id": format!("{:02}", m.tag()),
            "guid": m.guid(),
            "pan": m.pan(),
            "merchant_id": m.merchant_id(),
            "criteria": m.criteria_str(),
            "opaque": m.object().is_opaque(),
        })).collect::<Vec<_>>()).unwrap_or_default(),
        "reference_label": q.and_then(Qris::reference_label),
        "terminal_label": q.and_then(Qris::terminal_label),
        "bill_number": q.and_then(Qris::bill_number),
        "crc": q.and_then(Qris::crc),
        "computed_crc": q.map(|q| koperasi::qris::crc_hex(q.computed_crc())),
        "errors": errors,
        "warnings": warnings,
        "tags": q.map(|q| q.objects().map(|o| tree(&o)).collect::<Vec<_>>()).unwrap_or_default(),
    })
}

#[allow(
    clippy::unnecessary_wraps,
    reason = "same signature as every other subcommand handler"
)]
fn parse(payload: &str, out: &Output) -> Result<ExitCode, CliError> {
    let q = match Qris::parse_with(payload, Mode::Lenient) {
        Ok(q) => q,
        Err(e) => {
            let v = parse_json(None, false, &[error_json(&e)], &[]);
            out.emit(&v, || format!("QRIS tidak valid: {e}"));
            return Ok(ExitCode::from(1));
        }
    };
    let report = q.report();
    let valid = report.is_valid();
    let v = parse_json(
        Some(&q),
        valid,
        &report.errors().map(issue_json).collect::<Vec<_>>(),
        &report.warnings().map(issue_json).collect::<Vec<_>>(),
    );
    out.emit(&v, || summary(&q));
    Ok(if valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn summary(q: &Qris<'_>) -> String {
    let dash = |s: Option<&str>| s.unwrap_or("-").to_owned();
    let mut lines = Vec::new();
    let jenis = match q.point_of_initiation() {
        Some(p) if p.name() == "dynamic" => "dinamis",
        Some(_) => "statis",
        None => match q.value(1) {
            Some(_) => "jenis tidak dikenal",
            None => "tanpa jenis",
        },
    };
    lines.push(format!(
        "QRIS {} ({jenis})",
        if q.is_valid() { "valid" } else { "TIDAK VALID" }
    ));
    if let (None, Some(raw)) = (q.point_of_initiation(), q.value(1)) {
        lines.push(format!("Jenis (01)    : {raw} (bukan 11 atau 12)"));
    }
    lines.push(format!("Nama merchant : {}", dash(q.merchant_name())));
    lines.push(format!("Kota          : {}", dash(q.merchant_city())));
    lines.push(format!("Kode pos      : {}", dash(q.postal_code())));
    lines.push(format!("Negara        : {}", dash(q.country())));
    lines.push(format!("Mata uang     : {}", dash(q.currency())));
    let nominal = match (q.amount(), q.amount_decimal()) {
        (Some(a), Some(d)) if q.currency() == Some("360") => match Rupiah::new(d) {
            Ok(r) => format!("{r} ({a})"),
            Err(_) => a.to_owned(),
        },
        (Some(a), _) => a.to_owned(),
        (None, _) => "- (diisi pembayar)".to_owned(),
    };
    lines.push(format!("Nominal       : {nominal}"));
    if let Some(t) = q.value(55) {
        let fee = match t {
            "01" => "tip diisi pembayar".to_owned(),
            "02" => format!("biaya layanan tetap {}", dash(q.fee_fixed())),
            "03" => format!("biaya layanan {}%", dash(q.fee_percentage())),
            other => format!("indikator {other}"),
        };
        lines.push(format!("Tip/biaya     : {fee}"));
    }
    lines.push(format!("MCC           : {}", dash(q.mcc())));
    lines.push(format!("NMID          : {}", dash(q.nmid())));
    let kriteria = match q.merchant_criteria() {
        Some(c) => format!("{c} ({})", c.description()),
        None => dash(q.merchant_criteria_str()),
    };
    lines.push(format!("Kriteria      : {kriteria}"));
    for m in q.merchant_accounts() {
        lines.push(format!(
            "Akun {:02}       : {} {} {}",
            m.tag(),
            m.guid().unwrap_or(m.value()),
            m.pan().unwrap_or(""),
            m.merchant_id().unwrap_or("")
        ));
    }
    if let Some(r) = q.reference_label() {
        lines.push(format!("Referensi     : {r}"));
    }
    if let Some(t) = q.terminal_label() {
        lines.push(format!("Terminal      : {t}"));
    }
    lines.push(format!("CRC           : {}", dash(q.crc())));
    let errors: Vec<_> = q.report().errors().collect();
    if !errors.is_empty() {
        lines.push("Kesalahan:".to_owned());
        for i in errors {
            lines.push(format!(
                "  - {} [{}]: {}",
                i.path(),
                i.code().as_str(),
                i.message()
            ));
        }
    }
    let warnings: Vec<_> = q.report().warnings().collect();
    if !warnings.is_empty() {
        lines.push("Peringatan:".to_owned());
        for i in warnings {
            lines.push(format!(
                "  - {} [{}]: {}",
                i.path(),
                i.code().as_str(),
                i.message()
            ));
        }
    }
    lines.join("\n")
}
