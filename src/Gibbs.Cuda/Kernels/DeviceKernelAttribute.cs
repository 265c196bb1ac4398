// Marks a static method as a device kernel (explicitly grouped: grid-stride loops over Grid/Group indices).
// The backend loads kernels by these marks and the PTX test compiles every marked method, so "every kernel"
// means one list.
namespace Gibbs.Cuda.Kernels;

[AttributeUsage(AttributeTargets.Method)]
internal sealed class DeviceKernelAttribute : Attribute;
