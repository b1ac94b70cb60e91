using Fabric.Node.Api;

namespace Fabric.Node.Cli;

/// <summary>The agent answered with an error (unknown type, missing id, store unavailable...). Exit code 1.</summary>
public sealed class ApiErrorException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>No agent answered at the endpoint. Exit code 2.</summary>
public sealed class AgentUnreachableException(ApiEndpoint endpoint, string reason)
    : Exception($"cannot reach the agent at {endpoint}: {reason}")
{
    public ApiEndpoint Endpoint { get; } = endpoint;
    public string Reason { get; } = reason;
}

public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Unreachable = 2;
}
