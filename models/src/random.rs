//! A small seeded random-number generator for generated weights.
//!
//! Generated models must be bit-for-bit reproducible from their seed on every machine and with
//! every dependency version (the tiny test model is cached under a hash of its inputs), so the
//! generator is written out here: SplitMix64, which is fast, has a 64-bit state, and passes
//! the statistical tests that matter for random weights, with Box–Muller for normal values.

/// SplitMix64 (Steele, Lea and Flood, 2014).
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
    spare_normal: Option<f32>,
}

impl SplitMix64 {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self {
            state: seed,
            spare_normal: None,
        }
    }

    /// A generator for stream `stream` of `seed`, independent of the other streams.
    pub fn stream(seed: u64, stream: u64) -> Self {
        Self::new(mix(seed ^ mix(stream.wrapping_add(0x9e37_79b9_7f4a_7c15))))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.state)
    }

    /// A uniform value in `(0, 1]`.
    fn unit_open_closed(&mut self) -> f32 {
        // 24 random bits, so every value is exact in f32.
        ((self.next_u64() >> 40) as f32 + 1.0) / (1u64 << 24) as f32
    }

    /// A normal value with mean 0 and standard deviation 1.
    pub fn normal(&mut self) -> f32 {
        if let Some(spare) = self.spare_normal.take() {
            return spare;
        }
        let radius = (-2.0 * self.unit_open_closed().ln()).sqrt();
        let angle = std::f32::consts::TAU * self.unit_open_closed();
        self.spare_normal = Some(radius * angle.sin());
        radius * angle.cos()
    }
}

/// SplitMix64's output function, also a good 64-bit hash of an integer.
pub fn mix(mut value: u64) -> u64 {
    value = (value ^ (value >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    value ^ (value >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_is_fixed() {
        // Reference values of SplitMix64 seeded with 0.
        let mut rng = SplitMix64::new(0);
        assert_eq!(rng.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(rng.next_u64(), 0x6e78_9e6a_a1b9_65f4);
    }

    #[test]
    fn normals_have_unit_variance() {
        let mut rng = SplitMix64::stream(7, 1);
        let samples: Vec<f32> = (0..100_000).map(|_| rng.normal()).collect();
        let mean = samples.iter().sum::<f32>() / samples.len() as f32;
        let variance =
            samples.iter().map(|x| (x - mean).powi(2)).sum::<f32>() / samples.len() as f32;
        assert!(mean.abs() < 0.02, "{mean}");
        assert!((variance - 1.0).abs() < 0.02, "{variance}");
        assert!(samples.iter().all(|x| x.is_finite()));
    }

    #[test]
    fn streams_differ() {
        assert_ne!(
            SplitMix64::stream(1, 0).next_u64(),
            SplitMix64::stream(1, 1).next_u64()
        );
        assert_ne!(
            SplitMix64::stream(1, 0).next_u64(),
            SplitMix64::stream(2, 0).next_u64()
        );
    }
}
