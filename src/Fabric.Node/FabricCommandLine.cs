using System.CommandLine;
using Fabric.Node.Agent;

namespace Fabric.Node;

/// <summary>Every `fabric` command, parsed by System.CommandLine.</summary>
public static class FabricCommandLine
{
    public static Task<int> InvokeAsync(string[] args)
    {
        ResourceRegistration.RegisterAll();

        var root = new RootCommand("fabric: node networking agent and cluster fabric for bare-metal Kubernetes control planes");

        var configOption = new Option<string>("--config", "-c") { Description = "machine config file (Talos machine.network shape plus fabric:)", Required = true };
        var node = new Command("node", "run the agent in the current network namespace until SIGTERM") { configOption };
        node.SetAction((parse, ct) => NodeAgent.RunAsync(parse.GetValue(configOption)!, Console.Out, Console.Error));
        root.Subcommands.Add(node);

        var files = new Argument<string[]>("FILE") { Description = "config files to check", Arity = ArgumentArity.OneOrMore };
        var validate = new Command("validate", "check config files; prints FILE:LINE:COL: path: problem for each problem") { files };
        validate.SetAction(parse => FullConfigValidation.ValidateFiles(parse.GetValue(files)!, Console.Out));
        root.Subcommands.Add(validate);

        foreach (var command in Cli.ClientCommands.Create()) root.Subcommands.Add(command);

        var parsed = root.Parse(args);
        // `fabric node` handles SIGTERM itself: it releases its leases, hands the load balancer's allocator over and
        // leaves the cluster. System.CommandLine's own handling would end the process two seconds after the signal.
        return parsed.InvokeAsync(new InvocationConfiguration
        {
            ProcessTerminationTimeout = parsed.CommandResult.Command == node ? null : TimeSpan.FromSeconds(2),
        });
    }
}
