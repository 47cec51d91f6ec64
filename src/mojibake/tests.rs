use super::*;

fn garble_1252(s: &str) -> String {
    let (text, _, _) = encoding_rs::WINDOWS_1252.decode(s.as_bytes());
    text.into_owned()
}

#[test]
fn utf8_read_as_1252_is_repaired() {
    assert_eq!(repair("the party’s café"), "the party’s café");
    assert_eq!(repair(&garble_1252("the party’s café")), "the party’s café");
    assert_eq!(
        repair(&garble_1252("工党的全国执行委员会")),
        "工党的全国执行委员会"
    );
    assert_eq!(
        repair("Ã©lection and â€œquotesâ€\u{9d}"),
        "élection and “quotes”"
    );
}

#[test]
fn double_encoding_is_repaired() {
    let twice = garble_1252(&garble_1252("café ’"));
    assert_ne!(twice, "café ’");
    assert_eq!(repair(&twice), "café ’");
}

#[test]
fn mixed_and_partial_mojibake_is_repaired_piece_by_piece() {
    assert_eq!(repair("l’Ã©lection d’Ã©tÃ©"), "l’élection d’été");
    assert_eq!(repair("Ã€ Paris"), "À Paris");
    assert_eq!(repair("ZURÃœCK"), "ZURÜCK");
    assert_eq!(repair("\u{93}Labour\u{94}"), "“Labour”");
    assert_eq!(repair("the party\u{e2}\u{80}\u{99}\u{85}"), "the party’…");
    assert_eq!(repair(&garble_1252("노동당")), "노동당");
    assert_eq!(repair("jusqu'Ã demain"), "jusqu'à demain");
    assert_eq!(repair("vou Ã s compras"), "vou às compras");
}

#[test]
fn real_text_that_looks_like_mojibake_is_left_alone() {
    for clean in [
        "TÄSSÄ\u{a0}ON",
        "Zoë…”",
        "3 Å—",
        "C A S Ã O",
        "5×£ each",
        "PRÊT…",
        "Ça va. Très bien, déjà vu — “naïve” façade",
        "Müller & Søn: 10 £ × 2",
        "«Élysée» ½ ¾",
        "工党",
    ] {
        assert!(find(clean).is_empty(), "{clean}: {:?}", find(clean));
    }
}

#[test]
fn text_that_discusses_mojibake_is_left_alone() {
    for text in [
        "The bytes of é read as Latin-1 give Ã© on the page.",
        "Mojibake such as `â€™` and “Ã©” is common in old archives.",
        "乱码“å·¥å…š”就是“工党”被错误解码的样子。",
    ] {
        assert_eq!(repair(text), text);
    }
    // The same stretch outside quotes, with nothing showing its repair, is repaired.
    assert_eq!(repair("the Ã©lection"), "the élection");
}

#[test]
fn each_repair_explains_its_steps() {
    let found = find("the Ã©lection");
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].fixed, "é");
    assert_eq!(found[0].kind(), "UTF-8 text read as Latin-1");
    assert_eq!(
        found[0].explanation(),
        "encoded as Latin-1, decoded as UTF-8"
    );
    let twice = find(&garble_1252(&garble_1252("l’été")));
    assert_eq!(twice.len(), 1);
    assert!(twice[0].kind().ends_with("twice"), "{}", twice[0].kind());
}

#[test]
fn hunks_split_at_unchanged_spaces() {
    let found = find("Ã©tÃ© and Ã©lection");
    let spans: Vec<_> = found.iter().map(|m| m.fixed.as_str()).collect();
    assert_eq!(spans, ["été", "é"]);
}

#[test]
fn irreversible_garble_is_reported_not_repaired() {
    let text = "工党锟斤拷锟斤拷会议烫烫烫烫";
    assert_eq!(repair(text), text);
    let found = garbles(text);
    assert_eq!(found.len(), 2, "{found:?}");
    assert_eq!(&text[found[0].span.clone()], "锟斤拷锟斤拷");
    assert_eq!(&text[found[1].span.clone()], "烫烫烫烫");
    assert!(garbles("烫发").is_empty());
}

/// Sentences written for these tests, one per language and script the repairs must handle.
const TEXTS: &[&str] = &[
    "工党全国执行委员会今天公布了选举结果，乔恩·特里克特和伊恩·拉弗里发表了联合声明。",
    "保守党政府在2020年削减了地方议会的预算；工会表示反对。",
    "工黨全國執行委員會今天公佈了選舉結果，兩位議員發表了聯合聲明。",
    "全国执行委员会（NEC）公布了结果——特里克特说：“这是一场公平的竞争。”",
    "平等与人权委员会（EHRC）的报告说，工党必须在6周内提交行动计划。",
    "反犹太主义问题：Jon Trickett 和 Ian Lavery 的声明见第3页。",
    "The Labour Party’s NEC published the results — “a fair contest”, members said.",
    "Le comité exécutif du Parti travailliste a publié les résultats à Londres, où l’élection s’est déroulée.",
    "Национальный исполнительный комитет Лейбористской партии опубликовал результаты выборов.",
    "Members celebrated the result 🎉 and the count 👍 late on Tuesday.",
    "Straße, Größe, Äpfel und Öl: die Gewerkschaft stimmte zu.",
];

fn encode_in(encoding: &'static encoding_rs::Encoding, text: &str) -> Option<Vec<u8>> {
    let (bytes, _, unmappable) = encoding.encode(text);
    (!unmappable).then(|| bytes.into_owned())
}

/// `bytes` read with a single-byte code page (sloppy: unassigned bytes pass through).
fn read_as(codec: codec::Codec, bytes: &[u8]) -> String {
    bytes.iter().map(|&b| codec.decode_byte(b)).collect()
}

/// CESU-8: supplementary characters as two three-byte surrogates.
fn cesu8(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for c in text.chars() {
        if (c as u32) < 0x10000 {
            let mut buf = [0; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        } else {
            for unit in c.encode_utf16(&mut [0; 2]).iter() {
                let u = u32::from(*unit);
                out.extend([
                    0xE0 | (u >> 12) as u8,
                    0x80 | ((u >> 6) & 0x3F) as u8,
                    0x80 | (u & 0x3F) as u8,
                ]);
            }
        }
    }
    out
}

/// Every supported wrong decoding of `text` that changes it, by name.
fn wrong_decodings(text: &str) -> Vec<(String, String)> {
    use codec::Codec;
    let mut out = Vec::new();
    let utf8 = text.as_bytes();
    for codec in Codec::ALL {
        out.push((
            format!("UTF-8 read as {}", codec.name()),
            read_as(codec, utf8),
        ));
    }
    let once = read_as(Codec::Windows1252, utf8);
    let chinese = text.chars().any(cjk::is_han);
    out.push((
        "UTF-8 read as windows-1252, twice".into(),
        read_as(Codec::Windows1252, once.as_bytes()),
    ));
    out.push((
        "CESU-8 read as windows-1252".into(),
        read_as(Codec::Windows1252, &cesu8(text)),
    ));
    // The Chinese encodings are for Chinese text; a four-byte GB18030 sequence holds ASCII
    // digits and is ambiguous, so only what GBK encodes in two bytes is garbled this way.
    for codec in [Codec::Latin1, Codec::Windows1252]
        .into_iter()
        .filter(|_| chinese)
    {
        if let Some(gbk) = encode_in(encoding_rs::GBK, text) {
            out.push((
                format!("GB18030 read as {}", codec.name()),
                read_as(codec, &gbk),
            ));
        }
        if let Some(big5) = encode_in(encoding_rs::BIG5, text) {
            out.push((
                format!("Big5 read as {}", codec.name()),
                read_as(codec, &big5),
            ));
        }
    }
    let (as_gbk, had_errors) = encoding_rs::GBK.decode_without_bom_handling(utf8);
    if chinese && !had_errors && encode_in(encoding_rs::GBK, &as_gbk).as_deref() == Some(utf8) {
        out.push(("UTF-8 read as GBK".into(), as_gbk.into_owned()));
    }
    out.retain(|(_, garbled)| garbled != text);
    out
}

#[test]
fn every_wrong_decoding_of_our_texts_is_repaired_exactly() {
    let mut failures = Vec::new();
    let mut tried = 0;
    for text in TEXTS {
        for (how, garbled) in wrong_decodings(text) {
            // Cases the garbling itself makes ambiguous are not this test's: a code page that
            // lacks a character, or bytes that read back as other valid text.
            if garbled.contains('\u{FFFD}') {
                continue;
            }
            tried += 1;
            let fixed = repair(&garbled);
            if fixed != *text {
                failures.push(format!(
                    "{how}:\n  text:    {text}\n  garbled: {garbled}\n  got:     {fixed}"
                ));
            }
        }
    }
    assert!(tried > 60, "{tried}");
    assert!(
        failures.is_empty(),
        "{} of {tried} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn our_clean_texts_are_left_alone() {
    for text in TEXTS {
        assert!(find(text).is_empty(), "{text}: {:?}", find(text));
        assert!(garbles(text).is_empty(), "{text}");
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Words that build plausible sentences, by language; each sentence keeps to one.
    const WORDS: &[&[&str]] = &[
        &[
            "工党",
            "全国",
            "执行",
            "委员会",
            "今天",
            "公布",
            "选举",
            "结果",
            "声明",
            "议员",
            "保守党",
            "政府",
            "预算",
            "工会",
            "反对",
            "报告",
            "平等",
            "人权",
            "“公平”",
            "——",
            "，",
            "。",
            "2020年",
            "NEC",
            "Jon Trickett",
        ],
        &[
            "工黨",
            "全國",
            "執行",
            "委員會",
            "今天",
            "公佈",
            "選舉",
            "結果",
            "聲明",
            "議員",
            "政府",
            "預算",
            "，",
            "。",
        ],
        &[
            "Labour",
            "party",
            "members",
            "the",
            "vote",
            "NEC",
            "council",
            "said",
            "“fair”",
            "it’s",
            "—",
            "2020",
            "report",
            "and",
        ],
        &[
            "élection",
            "été",
            "à",
            "où",
            "déjà",
            "réunion",
            "comité",
            "exécutif",
            "les",
            "résultats",
            "Londres",
            "l’équipe",
            "«",
            "»",
        ],
        &[
            "Straße",
            "Größe",
            "für",
            "Öl",
            "Äpfel",
            "und",
            "die",
            "Gewerkschaft",
            "stimmte",
            "zu",
        ],
        &[
            "партия",
            "выборы",
            "комитет",
            "результаты",
            "опубликовал",
            "Лейбористской",
            "и",
            "в",
        ],
        &["vote", "count", "🎉", "👍", "done", "late", "on", "Tuesday"],
    ];

    fn sentence() -> impl Strategy<Value = String> {
        (0..WORDS.len()).prop_flat_map(|lang| {
            let pool = WORDS[lang];
            let sep = if lang < 2 { "" } else { " " };
            proptest::collection::vec(proptest::sample::select(pool), 2..12)
                .prop_map(move |words| words.join(sep))
        })
    }

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(sentence(), 1..4).prop_map(|lines| lines.join("\n"))
    }

    /// Whether a garbled text is unambiguous: it differs from the text, holds no U+FFFD, no
    /// other code page reads it back as other clean text, and each changed line looks bad.
    fn unambiguous(text: &str, garbled: &str) -> bool {
        // One wide character read as two Latin-1 letters (`Äê` for 年) could be either.
        let thin = text
            .lines()
            .zip(garbled.lines())
            .any(|(t, g)| t != g && t.chars().filter(|c| !c.is_ascii()).count() < 2);
        // Another code page that reads the garble back as different clean text (`fĂźr` is
        // `für` in ISO-8859-2 and `fßr` in windows-1250) makes it ambiguous.
        let other_reading = text.lines().zip(garbled.lines()).any(|(t, g)| {
            codec::Codec::ALL.iter().any(|&c| {
                utf8::encode(c, g)
                    .and_then(|units| utf8::decode(&units))
                    .is_some_and(|(d, _)| d != t && badness(&d) == 0)
            })
        });
        // Bytes that read as Chinese both in GB18030 and in Big5 (`½Y¹û` is 結果 in GBK and
        // 磐彆 in Big5) could be either.
        let both_legacies = garbled.lines().any(|g| {
            let bytes: Option<Vec<u8>> = g
                .chars()
                .map(|c| codec::Codec::Latin1.encode_char(c))
                .collect();
            bytes.is_some_and(|b| {
                [encoding_rs::GB18030, encoding_rs::BIG5].iter().all(|e| {
                    let (d, errors) = e.decode_without_bom_handling(&b);
                    !errors && d != g && cjk::chinese(&d, 2)
                })
            })
        });
        !other_reading
            && !both_legacies
            && !thin
            && garbled != text
            && !garbled.contains('\u{FFFD}')
            && text.lines().zip(garbled.lines()).all(|(t, g)| {
                t == g || badness(g) > 0 || g.chars().any(|c| c.is_ascii_control() && c != '\t')
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        #[test]
        fn clean_text_is_left_alone(t in text()) {
            prop_assert_eq!(repair(&t), t.clone());
        }

        #[test]
        fn every_unambiguous_wrong_decoding_is_undone(t in text()) {
            for (how, garbled) in wrong_decodings(&t) {
                if unambiguous(&t, &garbled) {
                    prop_assert_eq!(repair(&garbled), t.clone(), "{}: {}", how, garbled);
                }
            }
        }
    }
}

mod robustness {
    use super::*;
    use proptest::prelude::*;

    /// Characters mojibake is made of, and the ones around it.
    fn garble_char() -> impl Strategy<Value = char> {
        prop_oneof![
            (0x20u32..0x7F).prop_map(|u| char::from_u32(u).unwrap_or(' ')),
            (0x80u32..0x100).prop_map(|u| char::from_u32(u).unwrap_or(' ')),
            proptest::sample::select(vec![
                '€', '‚', '™', '“', '”', '’', '—', '√', '┼', 'Ð', 'Ñ', 'Р', 'С', 'в', 'Ђ', '锟',
                '斤', '拷', '烫', '宸', 'ュ', '工', '党', '\u{FFFD}', '\n', '?', '\u{1A}'
            ]),
            any::<char>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Any input: spans lie on character boundaries, in order, and splicing the repairs in
        /// gives `repair`'s text; garble spans lie on boundaries too.
        #[test]
        fn spans_are_sound_on_any_input(chars in proptest::collection::vec(garble_char(), 0..60)) {
            let text: String = chars.into_iter().collect();
            let mut last = 0;
            let mut spliced = String::new();
            for m in find(&text) {
                prop_assert!(m.span.start >= last && m.span.start <= m.span.end && m.span.end <= text.len());
                prop_assert!(text.is_char_boundary(m.span.start) && text.is_char_boundary(m.span.end));
                prop_assert!(!m.steps.is_empty());
                spliced.push_str(&text[last..m.span.start]);
                spliced.push_str(&m.fixed);
                last = m.span.end;
            }
            spliced.push_str(&text[last..]);
            prop_assert_eq!(spliced, repair(&text));
            for g in garbles(&text) {
                prop_assert!(text.is_char_boundary(g.span.start) && text.is_char_boundary(g.span.end));
            }
        }
    }
}

#[test]
fn a_document_read_one_legacy_way_is_repaired_on_slighter_evidence() {
    let latin1 = |s: &str| -> String {
        let (bytes, _, _) = encoding_rs::GBK.encode(s);
        bytes.iter().map(|&b| char::from(b)).collect()
    };
    let original = "工党全国执行委员会发表声明。\n乔恩说：\n注释 (9)\n议员们支持这份声明。\n";
    let garbled = latin1(original);
    assert_eq!(repair(&garbled), original);
    // On its own, one character read as two Latin-1 letters is left alone.
    assert_eq!(repair(&latin1("Patsy 说:")), latin1("Patsy 说:"));
}

#[test]
fn review_findings_stay_fixed() {
    // Traditional Chinese in short runs between ASCII stays (was `AWS 崙C 2 小時`).
    for clean in ["AWS 宕機 2 小時", "黑暗 闇淺 之間"] {
        assert_eq!(repair(clean), clean);
    }
    // A windows-1252 `”` that lost its undefined byte is not a dagger.
    assert_eq!(
        repair("He said â€œnoâ€ and left."),
        "He said “no\u{FFFD} and left."
    );
    // Real curly quotes beside one sequence do not make it too thin to repair.
    assert_eq!(repair("Macron’s rÃ©forme"), "Macron’s réforme");
    assert_eq!(repair("“Ã‰milie” said hello"), "“Émilie” said hello");
    // A legacy reading does not put Han characters inside Latin words.
    let gbk_latin1 = |s: &str| -> String {
        let (bytes, _, _) = encoding_rs::GBK.encode(s);
        bytes.iter().map(|&b| char::from(b)).collect()
    };
    let doc = format!(
        "{}\n{}\nINFORMAÇÕES SOBRE A AÇÃO\n",
        gbk_latin1("工党全国执行委员会发表声明。"),
        gbk_latin1("议员们支持这份声明。")
    );
    let fixed = repair(&doc);
    assert!(fixed.ends_with("INFORMAÇÕES SOBRE A AÇÃO\n"), "{fixed}");
    assert!(
        fixed.starts_with("工党全国执行委员会发表声明。\n"),
        "{fixed}"
    );
    assert_eq!(repair("hÄmÄlÄinen"), "hÄmÄlÄinen");
    // Garble runs without a 锟斤/斤拷 pair are passed over whole.
    assert!(garbles(&"拷锟".repeat(2000)).is_empty());
}

#[test]
fn european_utf8_read_as_gbk_is_repaired_when_a_document_shows_it_twice() {
    let as_gbk = |s: &str| {
        encoding_rs::GBK
            .decode_without_bom_handling(s.as_bytes())
            .0
            .into_owned()
    };
    let original = "Le café et François.\nDie Größe der Straße.\n";
    let garbled = as_gbk(original);
    assert_ne!(garbled, original);
    assert_eq!(repair(&garbled), original);
    // One such word alone stays: it may be a name beside a Chinese word.
    for clean in ["iPhone茅台", "Trickett说", "emails给他", "caf茅"] {
        assert_eq!(repair(clean), clean);
    }
}
