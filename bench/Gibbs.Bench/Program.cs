// Gibbs benchmarks (skeleton).
return 0;
