using Fabric.Node;
using Fabric.Node.Cli;

// `fabric apply FILE` is one request, timed from process start: it skips building the whole command line.
CliTiming.Mark("main");
if (ApplyFastPath.Parse(args) is { } apply) return ApplyFastPath.Run(apply);
return await FabricCommandLine.InvokeAsync(args);
