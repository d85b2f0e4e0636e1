"""fanpin-docs（防返贫文书）：防止返贫动态监测和帮扶工作文书的批量生成工具。

作为库使用::

    from fanpin_docs.readers import load_roster, load_measures
    from fanpin_docs.policy import load_policy, compute_measure

    roster = load_roster("户籍监测名单.xlsx")
    policy = load_policy("qianjiang-2023")
"""

__version__ = "0.1.0"
