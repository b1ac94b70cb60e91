using Fabric.Node;
using Fabric.Node.Cli;

// `fabric apply FILE` is one request, timed from process start: it skips building the whole command line. Main stays
// synchronous (no await here) so that path does not pay for the async machinery either.
CliTiming.Mark("main");
return ApplyFastPath.Parse(args) is { } apply ? ApplyFastPath.Run(apply) : FabricCommandLine.InvokeAsync(args).GetAwaiter().GetResult();
