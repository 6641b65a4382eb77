"""Demo data: three automotive suppliers (SPEC §10), each with one listed part.

Seeded by app/demo/seed.py like the MSMEs of data.py: verified, their certificates
verified, their part curated and published, then approved as suppliers by the curator.
"""

from __future__ import annotations

from typing import Any

# Parts go to plants in Indonesia as well as to Japan.
_PART = {"incoterm": "DAP", "port_of_loading": "Tanjung Priok, Jakarta"}

SUPPLIERS: list[dict[str, Any]] = [
    {
        "msme": {
            "owner": "owner@bekasi-presisi.example",
            "owner_name": "Agus Santoso",
            "legal_name": "CV Bekasi Presisi Stamping",
            "brand_name": "Bekasi Presisi",
            "nib": "9120001234571",
            "province": "Jawa Barat",
            "city": "Bekasi",
            "address": "Kawasan Industri MM2100 Blok J-7, Cikarang Barat, Bekasi",
            "size_class": "medium",
            "established_year": 2004,
            "employees": 140,
            "description": {
                "id": "Stamping dan pengelasan komponen logam untuk pemasok Tier-1.",
                "en": "Stamping and welding of metal parts for Tier-1 suppliers.",
                "ja": "Tier-1サプライヤー向け金属部品のプレス・溶接。",
            },
        },
        "capabilities": {
            "processes": ["stamping", "welding", "mold_and_die"],
            "materials": ["SPCC", "SPHC", "SGCC"],
            "max_part_size_mm": 800,
            "tolerance_mm": "0.05",
            "machines": [
                {"type": "Press 200 t", "count": 6},
                {"type": "Press 400 t", "count": 2},
                {"type": "Spot welder", "count": 10},
            ],
            "monthly_capacity": 250_000,
            "customers": ["PT Astra Otoparts", "PT Denso Indonesia"],
            "trainings": [{"programme": "AOTS", "year": 2019, "people": 4}],
        },
        "certificates": [],  # iso9001 comes with its part's required documents
        "score": 86,
        "part": {
            "category": "auto_metal_parts",
            "hs_code": "870892",
            "name": {
                "id": "Braket knalpot baja",
                "en": "Steel muffler bracket",
                "ja": "スチール製マフラーブラケット",
            },
            "description": {
                "id": "Braket knalpot SPHC 3,2 mm, dilas dan dicat elektrodeposisi.",
                "en": "SPHC 3.2 mm muffler bracket, welded and e-coated.",
                "ja": "SPHC 3.2mmマフラーブラケット、溶接・電着塗装済み。",
            },
            "unit": "pcs",
            "price": ("18500", "IDR"),
            "moq": 5000,
            "lead_time_days": 30,
            "monthly_capacity": 40000,
            "packaging": "Returnable steel racks, 200 pcs each",
            **_PART,
        },
    },
    {
        "msme": {
            "owner": "owner@karet-tangerang.example",
            "owner_name": "Dewi Lestari",
            "legal_name": "PT Karet Presisi Tangerang",
            "brand_name": "Karet Presisi",
            "nib": "9120001234572",
            "province": "Banten",
            "city": "Tangerang",
            "address": "Jl. Industri Raya No. 21, Jatake, Tangerang",
            "size_class": "small",
            "established_year": 2011,
            "employees": 65,
            "description": {
                "id": "Komponen karet cetak: grommet, seal, dan bushing.",
                "en": "Moulded rubber parts: grommets, seals and bushings.",
                "ja": "ゴム成形品：グロメット・シール・ブッシュ。",
            },
        },
        "capabilities": {
            "processes": ["rubber_molding", "mold_and_die"],
            "materials": ["EPDM", "NBR", "Silicone"],
            "max_part_size_mm": 300,
            "tolerance_mm": "0.1",
            "machines": [{"type": "Compression press 150 t", "count": 12}],
            "monthly_capacity": 500_000,
            "customers": ["PT Toyota Boshoku Indonesia"],
            "trainings": [{"programme": "New MIDEC", "year": 2023, "people": 2}],
        },
        "certificates": ["iso14001"],
        "score": 81,
        "part": {
            "category": "auto_rubber",
            "hs_code": "401699",
            "name": {
                "id": "Grommet kabel EPDM",
                "en": "EPDM cable grommet",
                "ja": "EPDMケーブルグロメット",
            },
            "description": {
                "id": "Grommet EPDM untuk lubang dinding dasbor, tahan -40 s/d 120 °C.",
                "en": "EPDM dash-panel grommet, rated -40 to 120 °C.",
                "ja": "ダッシュパネル用EPDMグロメット、-40〜120℃対応。",
            },
            "unit": "pcs",
            "price": ("2400", "IDR"),
            "moq": 20000,
            "lead_time_days": 25,
            "monthly_capacity": 200000,
            "packaging": "Polybags of 500 in export carton",
            **_PART,
        },
    },
    {
        "msme": {
            "owner": "owner@harness-karawang.example",
            "owner_name": "Rudi Hartono",
            "legal_name": "PT Karawang Wiring Sejahtera",
            "brand_name": "Karawang Wiring",
            "nib": "9120001234573",
            "province": "Jawa Barat",
            "city": "Karawang",
            "address": "Kawasan Industri KIIC Lot B-12, Karawang",
            "size_class": "medium",
            "established_year": 2009,
            "employees": 220,
            "description": {
                "id": "Perakitan wiring harness untuk sepeda motor dan mobil.",
                "en": "Wire harness assembly for motorcycles and cars.",
                "ja": "二輪・四輪向けワイヤーハーネス組立。",
            },
        },
        "capabilities": {
            "processes": ["wire_harness_assembly", "injection_molding"],
            "materials": ["AVSS wire", "PVC", "PA66 connectors"],
            "max_part_size_mm": 3000,
            "tolerance_mm": "0.5",
            "machines": [
                {"type": "Automatic cut-and-strip", "count": 8},
                {"type": "Crimping press", "count": 24},
                {"type": "Circuit tester", "count": 6},
            ],
            "monthly_capacity": 30_000,
            "customers": ["PT Astra Honda Motor"],
            "trainings": [
                {"programme": "AOTS", "year": 2018, "people": 3},
                {"programme": "New MIDEC", "year": 2022, "people": 5},
            ],
        },
        "certificates": ["iatf16949"],
        "score": 90,
        "part": {
            "category": "auto_electrical",
            "hs_code": "854430",
            "name": {
                "id": "Wiring harness lampu belakang",
                "en": "Rear lamp wiring harness",
                "ja": "リアランプ用ワイヤーハーネス",
            },
            "description": {
                "id": "Harness 6 sirkuit untuk lampu belakang, 100 % diuji kontinuitas.",
                "en": "Six-circuit rear lamp harness, 100 % continuity tested.",
                "ja": "リアランプ用6回路ハーネス、全数導通検査済み。",
            },
            "unit": "pcs",
            "price": ("46000", "IDR"),
            "moq": 2000,
            "lead_time_days": 35,
            "monthly_capacity": 15000,
            "packaging": "Coiled in partitioned export carton",
            **_PART,
        },
    },
]
