"""python_packages: the versions a fitted model depends on, as the build recorded them."""

import sklearn

from customer_segmentation.environment import FITTING_PACKAGES, package_versions


def test_package_versions_name_the_installed_scikit_learn_and_every_fitting_package():
    table = package_versions().to_pydict()
    versions = dict(zip(table["package_name"], table["package_version"], strict=True))
    assert versions["scikit-learn"] == sklearn.__version__
    assert set(FITTING_PACKAGES) | {"python", "customer-segmentation"} == set(versions)
    assert table["package_name"] == sorted(table["package_name"])
