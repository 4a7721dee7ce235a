"""Training the models kg ships: the relation classifier (:mod:`kg.training.relations`, ``kg train relations``)
and the learned named-entity recogniser (:mod:`kg.training.entities`, ``kg train entities``)."""
