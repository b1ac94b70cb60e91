using Fabric.Actors.Kernel;
using Fabric.Actors.Resources;

namespace Fabric.Actors.Controllers;

/// <summary>Builds the ApplyStatus a spec controller publishes for each spec it tried to apply.</summary>
public static class ApplyStatuses
{
    public const string Applied = "applied";
    public const string Pending = "pending";
    public const string Failed = "failed";

    public static ControllerOutput Of(ResourceType specType, string specId, string state, string message = "") =>
        ControllerOutput.Of(ResourceTypes.ApplyStatus, $"{specType.Name}/{specId}",
            new ApplyStatus { SpecType = specType.Name, SpecId = specId, State = state, Message = message });

    public static ControllerOutput Result(ResourceType specType, string specId, Exception? error) => error switch
    {
        null => Of(specType, specId, Applied),
        KernelException k => Of(specType, specId, Failed, k.Message),
        _ => Of(specType, specId, Failed, error.Message),
    };

    /// <summary>Runs one kernel request and turns its outcome into an ApplyStatus; never throws for kernel errors.</summary>
    public static async Task<ControllerOutput> Attempt(ResourceType specType, string specId, Func<Task> request, Action? onFailure = null)
    {
        try
        {
            await request().ConfigureAwait(false);
            return Of(specType, specId, Applied);
        }
        catch (KernelException e)
        {
            onFailure?.Invoke();
            return Result(specType, specId, e);
        }
    }
}
