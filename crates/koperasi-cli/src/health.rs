//! `koperasi health`: cooperative health assessment (penilaian kesehatan koperasi).
//!
//! Input file of `health assess` (JSON; every value a decimal string or a JSON integer —
//! floats are rejected because they cannot carry amounts exactly):
//!
//! ```json
//! { "inputs": { "kas": "60000000", "bank": 40000000, "kewajiban_lancar": "800000000", … },
//!   "ratios": { "pinjaman_berisiko": "12.5" } }
//! ```
//!
//! `inputs` are the named amounts and counts the profile's formulas read; `ratios` give an
//! indicator's ratio (percent) directly, by indicator code, and take precedence over its
//! formula. `koperasi health assess --profile perdep-06-2016 --keys` lists both.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use koperasi::core::Decimal;
use koperasi::reporting::health::{self, Assessment, HealthInputs, Predikat, RatioSource};
use koperasi::reporting::render;

use crate::output::{CliError, Output};

#[derive(Debug, Subcommand)]
pub(crate) enum HealthCommand {
    /// Score a cooperative under a health profile; prints ratio, nilai, bobot and skor per
    /// component, the total and the predikat.
    Assess {
        /// Profile id.
        #[arg(long, default_value = "perdep-06-2016")]
        profile: String,
        /// JSON file with `inputs` and/or `ratios` (see `--keys`).
        #[arg(long, required_unless_present = "keys")]
        input: Option<PathBuf>,
        /// List the input keys and indicator codes of the profile instead of assessing.
        #[arg(long)]
        keys: bool,
    },
    /// The predikat of a total score (≥80 Sehat, 66–<80 Cukup Sehat, 51–<66 Dalam
    /// Pengawasan, <51 Dalam Pengawasan Khusus).
    Predikat {
        /// The score, 0–100.
        score: String,
    },
}

fn parse_value(section: &str, key: &str, v: &serde_json::Value) -> Result<Decimal, CliError> {
    let bad = || {
        CliError::new(
            "invalid_input",
            format!("{section}.{key}: expected a decimal string or an integer, got {v}"),
        )
    };
    match v {
        serde_json::Value::String(s) => Decimal::from_str_exact(s.trim()).map_err(|_| bad()),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Ok(Decimal::from(i))
            } else if let Some(u) = n.as_u64() {
                Ok(Decimal::from(u))
            } else {
                Err(bad())
            }
        }
        _ => Err(bad()),
    }
}

fn read_inputs(path: &PathBuf) -> Result<HealthInputs, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| CliError::io(path, &e))?;
    let v: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| CliError::new("invalid_json", format!("{}: {e}", path.display())))?;
    let obj = v.as_object().ok_or_else(|| {
        CliError::new(
            "invalid_input",
            format!("{}: expected a JSON object", path.display()),
        )
    })?;
    let mut out = HealthInputs::default();
    for (section, value) in obj {
        let map = value.as_object().ok_or_else(|| {
            CliError::new("invalid_input", format!("{section}: expected an object"))
        })?;
        let target: &mut BTreeMap<String, Decimal> = match section.as_str() {
            "inputs" => &mut out.inputs,
            "ratios" => &mut out.ratios,
            other => {
                return Err(CliError::new(
                    "invalid_input",
                    format!("unknown section {other:?} (expected \"inputs\" or \"ratios\")"),
                ));
            }
        };
        for (k, v) in map {
            target.insert(k.clone(), parse_value(section, k, v)?);
        }
    }
    Ok(out)
}

fn assessment_json(a: &Assessment) -> serde_json::Value {
    let components: Vec<serde_json::Value> = a
        .components
        .iter()
        .map(|c| {
            let (source, used) = match &c.source {
                RatioSource::Given => ("given", Vec::new()),
                RatioSource::Computed { inputs, .. } => ("computed", inputs.clone()),
                RatioSource::ZeroDenominator { inputs } => ("zero_denominator", inputs.clone()),
                _ => ("other", Vec::new()),
            };
            serde_json::json!({
                "aspect": c.aspect,
                "indicator": c.indicator,
                "name": c.name,
                "ratio": c.ratio.to_string(),
                "band": c.band,
                "nilai": c.nilai.to_string(),
                "bobot": c.bobot.to_string(),
                "skor": c.skor.to_string(),
                "source": source,
                "inputs": used.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.to_string()))).collect::<serde_json::Map<_, _>>(),
            })
        })
        .collect();
    let aspects: Vec<serde_json::Value> = a
        .aspects
        .iter()
        .map(|x| serde_json::json!({"aspect": x.code, "name": x.name, "bobot": x.bobot.to_string(), "skor": x.skor.to_string()}))
        .collect();
    serde_json::json!({
        "profile": a.profile,
        "profile_version": a.profile_version,
        "components": components,
        "aspects": aspects,
        "total": a.total.to_string(),
        "predikat": a.predikat.label(),
        "predikat_key": a.predikat.key(),
    })
}

pub(crate) fn run(cmd: &HealthCommand, out: &Output) -> Result<ExitCode, CliError> {
    match cmd {
        HealthCommand::Assess {
            profile,
            input,
            keys,
        } => {
            let p = health::profile(profile).map_err(CliError::input)?;
            if *keys {
                let inputs: Vec<&str> = p.input_keys().into_iter().collect();
                let codes: Vec<&str> = p.indicator_codes().collect();
                out.emit(
                    &serde_json::json!({"profile": p.id, "inputs": inputs, "ratios": codes}),
                    || {
                        format!(
                            "inputs:\n  {}\nratios (indicator codes):\n  {}",
                            inputs.join("\n  "),
                            codes.join("\n  ")
                        )
                    },
                );
                return Ok(ExitCode::SUCCESS);
            }
            let Some(path) = input else {
                return Err(CliError::new(
                    "missing_input",
                    "--input FILE.json is required",
                ));
            };
            let inputs = read_inputs(path)?;
            inputs.validate().map_err(CliError::input)?;
            let a = health::assess(&p, &inputs).map_err(CliError::input)?;
            out.emit(&assessment_json(&a), || render::text(&a.document()));
        }
        HealthCommand::Predikat { score } => {
            let s = Decimal::from_str_exact(score.trim())
                .map_err(|_| CliError::new("invalid_score", format!("invalid score {score:?}")))?;
            let p = Predikat::from_score(s).map_err(CliError::input)?;
            out.emit(
                &serde_json::json!({"score": s.to_string(), "predikat": p.label(), "predikat_key": p.key()}),
                || p.label().to_owned(),
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
