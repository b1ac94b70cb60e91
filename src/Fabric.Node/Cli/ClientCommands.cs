using System.CommandLine;

namespace Fabric.Node.Cli;

/// <summary>The commands that talk to a running agent, for Program.cs to add to its root command.</summary>
public static class ClientCommands
{
    public static IReadOnlyList<Command> Create() => [GetCommand.Create(), ApplyCommand.Create()];
}
