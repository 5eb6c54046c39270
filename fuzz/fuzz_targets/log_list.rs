//! Parses arbitrary text as a witness network log list (`spec/log.md`
//! section 7): whatever parses formats to a list that parses back to the
//! same logs.
#![no_main]
use ledger_core::witness::LogList;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data)
        && let Ok(list) = s.parse::<LogList>()
    {
        let again: LogList = list.to_string().parse().unwrap();
        assert_eq!(again, list);
    }
});
