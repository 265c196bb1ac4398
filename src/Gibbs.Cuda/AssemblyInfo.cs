// The assembly's plug-in declaration (BackendRegistry finds the provider through it) and interop settings.
using System.Runtime.CompilerServices;
using Gibbs.Backends;

[assembly: BackendProvider(typeof(Gibbs.Cuda.CudaBackendProvider))]
[assembly: DisableRuntimeMarshalling]
