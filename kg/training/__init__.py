"""Training the models kg ships: the relation classifier (:mod:`kg.training.relations`, ``kg train relations``)
and the adapted named-entity recogniser (:mod:`kg.training.ner`, ``kg train ner``)."""
