namespace ChasiSre.Streams.K8sGpt;

/// <summary>A value k8sgpt found in an error text that must not leave the cluster, and the mask shown instead.</summary>
/// <param name="Unmasked">The real value (never published).</param>
/// <param name="Masked">What replaces it; empty means k8sgpt gave no mask and <see cref="K8sGptMasking.Placeholder"/> is used.</param>
public sealed record K8sGptSensitive(string Unmasked, string Masked);
