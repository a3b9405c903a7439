//! The relay's manifest check (`relay::check_manifest`) on arbitrary bytes: it must answer
//! a problem, never panic. The submission id is the one the seeds use.
use elternkit_directory::Directory;

fn main() {
    let directory = Directory::development(jiff::civil::date(2027, 3, 1))
        .expect("the shipped development directory verifies");
    let sid = uuid::Uuid::from_u128(0x0b7e_4bbd_2d0a_4b8e_9d6b_4b1f_0c2d_9e01);
    afl::fuzz!(|data: &[u8]| {
        let _ = elternkit_agency::relay::check_manifest(&directory, sid, data);
    });
}
