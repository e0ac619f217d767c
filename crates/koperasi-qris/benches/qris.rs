//! Throughput of parse (structure + CRC + all rules) and build (+ CRC), over realistic
//! ~200-character Indonesian payloads.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use koperasi_qris::{Amount, Fee, MerchantCriteria, Qris, QrisBuilder};

const STATIC: &str = "00020101021126590013ID.CO.BRI.WWW01189360000212345678900209KDMP001250303UMI51440014ID.CO.QRIS.WWW0215ID10251234567890303UMI5204541153033605802ID5923KOPDES MERAH PUTIH SKMJ6011PROBOLINGGO61056721962120708KASIR-016304";

fn sealed(body: &str) -> String {
    format!(
        "{body}{}",
        koperasi_qris::crc_hex(koperasi_qris::crc16(body.as_bytes()))
    )
}

fn builder() -> QrisBuilder {
    QrisBuilder::new("KOPDES MERAH PUTIH SKMJ", "PROBOLINGGO", "5411")
        .merchant_account(
            26,
            "ID.CO.BRI.WWW",
            "936000021234567890",
            "KDMP00125",
            MerchantCriteria::Umi,
        )
        .national("ID1025123456789", MerchantCriteria::Umi)
        .postal_code("67219")
        .terminal_label("KASIR-01")
}

fn bench(c: &mut Criterion) {
    let payload = sealed(STATIC);
    let sticker = Qris::parse(&payload).expect("valid");
    let dynamic = sticker
        .to_dynamic(
            &"125000".parse().expect("amount"),
            Some(&Fee::Fixed("1000".parse().expect("fee"))),
        )
        .expect("dynamic");

    let mut g = c.benchmark_group("qris");
    g.throughput(Throughput::Elements(1));
    g.bench_function("parse_static_strict", |b| {
        b.iter(|| Qris::parse(black_box(&payload)).map(|q| q.computed_crc()));
    });
    g.bench_function("parse_dynamic_strict", |b| {
        b.iter(|| Qris::parse(black_box(&dynamic)).map(|q| q.computed_crc()));
    });
    g.bench_function("parse_and_read_amount_nmid", |b| {
        b.iter(|| {
            let q = Qris::parse(black_box(&dynamic)).expect("valid");
            (q.amount_decimal(), q.nmid().map(str::len))
        });
    });
    let b0 = builder();
    g.bench_function("build_validated", |b| {
        b.iter(|| black_box(&b0).build());
    });
    g.bench_function("encode_crc_only", |b| {
        b.iter(|| black_box(&b0).encode());
    });
    let mut buf = String::with_capacity(256);
    g.bench_function("encode_into_reused_buffer", |b| {
        b.iter(|| {
            buf.clear();
            black_box(&b0).encode_into(&mut buf).map(|()| buf.len())
        });
    });
    let amount: Amount = "125000".parse().expect("amount");
    g.bench_function("to_dynamic", |b| {
        b.iter(|| sticker.to_dynamic(black_box(&amount), None));
    });
    g.bench_function("crc16_200_bytes", |b| {
        b.iter(|| koperasi_qris::crc16(black_box(payload.as_bytes())));
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
