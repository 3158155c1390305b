"""Measuring and training the decision on labelled question sets.

Owns the labelled sets' format (`labelled`), the accuracy report of `policybot
eval` (`report`) and the training of the decision that `policybot build` stores
in facts.db (`training`, the only code that imports scikit-learn). May import the
answering core and the knowledge readers; nothing below imports it.
"""
