// One browser journey at a time: each test class starts its own portal, database and Chromium, and on a two-core
// machine several at once starve each other until their waits time out. The journeys run one after another.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
