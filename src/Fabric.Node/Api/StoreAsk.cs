using Akka.Actor;
using Microsoft.AspNetCore.Http;

namespace Fabric.Node.Api;

/// <summary>Asks the store and turns its failures into a 503 with a sentence, never a stack trace.</summary>
internal static class StoreAsk
{
    public static async Task<(T? Reply, IResult? Error)> Ask<T>(ApiContext api, object message, CancellationToken ct) where T : class
    {
        try
        {
            return (await api.Store.Ask<T>(message, api.Options.AskTimeout, ct), null);
        }
        catch (AskTimeoutException)
        {
            return (null, ApiResults.Unavailable($"the resource store did not answer within {api.Options.AskTimeout.TotalSeconds:0.#}s"));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client left; nobody reads this answer.
            return (null, Results.StatusCode(499));
        }
        catch (Exception e)
        {
            return (null, ApiResults.Unavailable($"the resource store is unavailable: {e.Message}"));
        }
    }
}
