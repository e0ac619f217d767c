//! `koperasi nik`: check and decode a NIK (Nomor Induk Kependudukan).

use std::process::ExitCode;

use clap::Subcommand;
use koperasi::core::chrono::NaiveDate;
use koperasi::membership::{CenturyRule, Gender, Nik, NikParts};
use serde_json::json;

use crate::output::{CliError, Output};

#[derive(Debug, Subcommand)]
pub(crate) enum NikCommand {
    /// Validate a NIK and decode it: province, kabupaten/kota, kecamatan, birth date, gender,
    /// serial. Spaces, dots and dashes are ignored. Exit code 1 if invalid.
    Check {
        /// The NIK (16 digits).
        nik: String,
        /// Reference date for the birth-year century (YYYY-MM-DD; default today): the century
        /// giving an age of 0 to 120 years on this date is chosen, the later one if both do.
        #[arg(long, value_name = "YYYY-MM-DD")]
        as_of: Option<String>,
    },
}

pub(crate) fn run(cmd: &NikCommand, out: &Output) -> Result<ExitCode, CliError> {
    match cmd {
        NikCommand::Check { nik, as_of } => check(nik, as_of.as_deref(), out),
    }
}

fn today() -> Option<NaiveDate> {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    let days = i32::try_from(secs / 86_400).ok()?;
    // 719_163 = days from 0001-01-01 (day 1 of the common era) to 1970-01-01, plus one.
    NaiveDate::from_num_days_from_ce_opt(days.checked_add(719_163)?)
}

fn check(input: &str, as_of: Option<&str>, out: &Output) -> Result<ExitCode, CliError> {
    let result = as_of
        .map_or_else(
            || today().ok_or_else(|| CliError::new("clock", "cannot read today's date")),
            |s| {
                NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|e| {
                    CliError::usage(
                        "invalid_date",
                        format!("--as-of {s:?}: {e}; expected YYYY-MM-DD"),
                    )
                })
            },
        )
        .and_then(|as_of| {
            Nik::parse(input)
                .and_then(|nik| nik.decode(as_of, &CenturyRule::default()))
                .map_err(CliError::input)
        });
    match result {
        Ok(parts) => {
            out.emit(&to_json(&parts), || to_text(&parts));
            Ok(ExitCode::SUCCESS)
        }
        Err(e) if out.is_json() && e.class == crate::output::ErrorClass::Failure => {
            out.emit(
                &json!({"valid": false, "error": e.to_json()["error"]}),
                String::new,
            );
            Ok(ExitCode::from(1))
        }
        Err(e) => Err(e),
    }
}

/// The note shown when the birth year's century is ambiguous (text and JSON).
const CENTURY_NOTE: &str = "abad tahun lahir ambigu; cocokkan dengan tanggal lahir di KTP";

fn to_json(p: &NikParts) -> serde_json::Value {
    json!({
        "valid": true,
        "nik": p.nik.as_str(),
        "province_code": format!("{:02}", p.province.code()),
        "province": p.province.name(),
        "regency_code": format!("{:02}", p.regency_code),
        "district_code": format!("{:02}", p.district_code),
        "birth_date": p.birth_date.format("%Y-%m-%d").to_string(),
        "gender": p.gender.as_str(),
        "serial": format!("{:04}", p.serial),
        "century_ambiguous": p.century_ambiguous,
        "note": p.century_ambiguous.then_some(CENTURY_NOTE),
    })
}

fn to_text(p: &NikParts) -> String {
    let gender = match p.gender {
        Gender::Male => "laki-laki",
        Gender::Female => "perempuan",
    };
    let mut s = format!(
        "NIK {} valid\n\
         provinsi        : {:02} {}\n\
         kabupaten/kota  : {:02}\n\
         kecamatan       : {:02}\n\
         tanggal lahir   : {}\n\
         jenis kelamin   : {gender}\n\
         nomor urut      : {:04}",
        p.nik,
        p.province.code(),
        p.province.name(),
        p.regency_code,
        p.district_code,
        p.birth_date.format("%Y-%m-%d"),
        p.serial,
    );
    if p.century_ambiguous {
        s.push_str("\ncatatan         : ");
        s.push_str(CENTURY_NOTE);
    }
    s
}
