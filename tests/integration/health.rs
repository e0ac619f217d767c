//! The city snapshot's health predikat is the Perdep 06/2016 assessment of the book's inputs.

use koperasi::city::{health_inputs, snapshot_with_health};
use koperasi::core::FiscalYear;
use koperasi::reporting::city::HealthStatus;
use koperasi::reporting::health::{assess, perdep_06_2016};
use koperasi_sim::{SimConfig, simulate_cooperative};

#[test]
fn snapshot_health_is_the_assessment_of_the_books_inputs() {
    let coop = simulate_cooperative(&SimConfig::new(4, 60, 11), 3).unwrap();
    let year = FiscalYear::calendar(2026).unwrap();
    let inputs = health_inputs(&coop.book, year, &coop.management).unwrap();
    let profile = perdep_06_2016();
    // Every input the profile reads is present (none left to a default).
    for key in profile.input_keys() {
        assert!(inputs.inputs.contains_key(key), "missing input {key}");
    }
    assert!(inputs.ratios.is_empty());
    let expected = assess(&profile, &inputs).unwrap();
    let s =
        snapshot_with_health(&coop.book, &coop.code, &coop.name, year, &coop.management).unwrap();
    assert_eq!(
        s.health,
        Some(HealthStatus {
            score: expected.total,
            predikat: expected.predikat,
        })
    );
    assert_eq!(
        inputs.inputs["manajemen_umum_pertanyaan"],
        koperasi::core::Decimal::from(coop.management.umum.questions)
    );
}
