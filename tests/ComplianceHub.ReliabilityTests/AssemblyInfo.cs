// One test class at a time: each starts its own PostgreSQL cluster, portals and load balancer, and the CI machine has two cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
